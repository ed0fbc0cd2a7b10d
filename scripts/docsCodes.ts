// `npm run docs:codes`: writes the diagnostic code table into README.md (between markers) and
// docs/diagnostics.md (one anchor per code, the target of each diagnostic's link).
import { readFileSync, writeFileSync } from 'node:fs';
import { CODES, codeHref } from '../shared/codes';
import type { Code } from '../shared/codes';

export const BEGIN = '<!-- codes:begin -->';
export const END = '<!-- codes:end -->';

export function codesTable(): string {
  const rows = (Object.keys(CODES) as Code[]).map((c) => `| \`${c}\` | ${CODES[c].severity} | ${CODES[c].summary.replace(/\|/g, '\\|')} |`);
  return ['| code | default severity | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function diagnosticsPage(): string {
  // An explicit anchor per code: the diagnostic's link (codeHref) must land on its section.
  const sections = (Object.keys(CODES) as Code[]).map((c) => `<a id="${codeHref(c).split('#')[1]!}"></a>\n\n## ${c}\n\nDefault severity: ${CODES[c].severity}.\n\n${CODES[c].summary}\n`);
  return `# KrakenD Live diagnostics\n\nEvery problem KrakenD Live reports has \`source\` "krakend" and one of these codes. Codes are stable.\n\n${sections.join('\n')}\n${AUDIT_NOTES}`;
}

/** How the audit/ rules follow the real `krakend audit`, where that is surprising (kept in this script so the page stays generated). */
export const AUDIT_NOTES = `## How the audit/ rules follow \`krakend audit\`

The \`audit/<rule>\` findings are the recommendations of \`krakend audit\` in KrakenD CE 2.13.8 (krakend-audit v0.9.3),
evaluated the way the binary evaluates them: the configuration is decoded as koanf does, lura's Init runs, then
\`cfg.Normalize()\`, then krakend-audit's rules. \`test/integration/auditDifferential.test.ts\` compares the rule ids with
the real binary on hundreds of generated configurations each run. These behaviours are the binary's, kept on purpose
so that the editor never disagrees with \`krakend audit\` in CI:

- **Namespace names.** Normalize renames each friendly namespace (\`security/cors\`, \`router\`, \`qos/circuit-breaker\`…) to its
  legacy key, and the rules read the legacy keys, so both spellings count alike. Where both are written, the friendly one
  overwrites the legacy one: \`"router": {"hide_version_header": false}\` next to the legacy router key with \`true\` still gets 2.2.1.
- **Loose booleans only outside \`extra_config\`.** Service flags (\`debug_endpoint\`, \`echo_endpoint\`, \`disable_rest\`, \`use_h2c\`,
  \`sequential_start\`, \`allow_insecure_connections\`, \`client_tls\`, \`tls.disabled\`) go through mapstructure's weakly typed decode:
  \`"true"\`, \`"1"\`, \`1\` and \`"T"\` are true, and their keys match in any case. Inside \`extra_config\` the rules use Go type assertions:
  \`"hide_version_header": "true"\` is not true (2.2.1 stays), \`"sequential": "true"\` is not sequential (no 5.1.7).
- **Timeouts.** A numeric timeout is in nanoseconds (\`"timeout": 4000\` is 4 µs). The comparison is in whole milliseconds,
  truncated: 3000.999 ms is not above 3 s. An endpoint without a timeout (or with 0) has the service's, or 2 s; that case is
  reported once, on the service's \`timeout\`. A 61 s timeout gets 3.3.1, 3.3.2, 3.3.3 and 3.3.4, as the binary prints all four
  (\`-s\` and \`-i\` work on each).
- **YAML integers.** \`qos/http-cache\`'s \`max_items\` and \`max_size\` only count as float64 numbers. Every JSON number is one; a YAML
  integer (\`max_items: 100\`) is a Go int, so YAML configurations get 2.3.1 unless the limits are written as floats (\`100.0\`).
- **Levels.** A rate limit (3.1.2) is found as \`qos/ratelimit/router\` at service or endpoint level, \`qos/ratelimit/proxy\` on an
  endpoint or backend, \`qos/ratelimit/service\`, or the \`redis-ratelimit\` server plugin; \`qos/ratelimit/router\` on a backend does
  not count. A circuit breaker (3.1.3) counts on an endpoint or a backend, not at service level; a JWT validator (1.2.1) only on an
  endpoint; \`security/http\`, \`security/cors\` and the bot detector only at service level.
- **Shapes.** The bot detector, \`qos/ratelimit/router\` and opencensus (without an \`exporters\` object) only count as objects. The
  deprecated client plugins (7.1.5–7.1.7) are looked for on endpoints only, with \`name\` a single string; the request/response
  plugins (7.1.8, 7.1.9) on endpoints and backends, with \`name\` a list. \`auth/basic\` never triggers 1.1.1 (krakend-audit records it
  as an empty list and then tests its first bit); only the \`basic-auth\` server plugin does.
- **\`backend/http/client\`'s \`client_tls\`** is decoded strictly (not weakly typed): one field of the wrong type (\`"ca_certs": "a.pem"\`)
  and \`allow_insecure_connections\` is not seen (no 2.1.9).
- **Write methods (5.1.6)** are a backend's method (its own, else its endpoint's, else GET) other than exactly \`GET\` or \`HEAD\`: a
  lowercase \`get\` counts as a write, and so does a gRPC backend.
- **No endpoints.** 1.2.1, 5.2.2 and 5.2.3 are reported for a configuration without endpoints ("every endpoint" of none).
- **Never reported by the binary.** 4.1.2 (its check is a stub that returns false) and 5.2.1 (lura's Init refuses an endpoint
  without backends before the audit runs, so \`krakend audit\` prints a parse error instead). KrakenD Live reports 5.2.1 next to
  \`init/no-backends\`.
- **Where KrakenD Live differs.** \`krakend audit\` panics on a \`qos/http-cache\` that is not an object; KrakenD Live reports 2.3.1
  there. The binary's \`-s\` is case-sensitive and its \`-I\` file is split on "\\n" only (a CRLF file ignores nothing); the settings and the
  CLI accept any case and CRLF. Findings are warnings, or information for LOW, never errors: they never stop a reload of the gateway.
`;

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
