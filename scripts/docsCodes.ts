// `npm run docs:codes`: writes the diagnostic code table into README.md (between markers) and
// docs/diagnostics.md (one anchor per code, the target of each diagnostic's link).
import { readFileSync, writeFileSync } from 'node:fs';
import { CODES } from '../shared/codes';
import type { Code } from '../shared/codes';

export const BEGIN = '<!-- codes:begin -->';
export const END = '<!-- codes:end -->';

export function codesTable(): string {
  const rows = (Object.keys(CODES) as Code[]).map((c) => `| \`${c}\` | ${CODES[c].severity} | ${CODES[c].summary.replace(/\|/g, '\\|')} |`);
  return ['| code | default severity | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function diagnosticsPage(): string {
  const sections = (Object.keys(CODES) as Code[]).map((c) => `## ${c}\n\nDefault severity: ${CODES[c].severity}.\n\n${CODES[c].summary}\n`);
  return `# KrakenD Live diagnostics\n\nEvery problem KrakenD Live reports has \`source\` "krakend" and one of these codes. Codes are stable.\n\n${sections.join('\n')}`;
}

export function withTable(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${BEGIN} … ${END} markers`);
  return `${readme.slice(0, start + BEGIN.length)}\n${codesTable()}\n${readme.slice(end)}`;
}

if (process.argv[1]?.endsWith('docsCodes.ts')) {
  writeFileSync('README.md', withTable(readFileSync('README.md', 'utf8')));
  writeFileSync('docs/diagnostics.md', diagnosticsPage());
}
