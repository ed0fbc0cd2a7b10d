/** Facts about examples/krakend.json that scenarios edit, computed from the file so edits to it stay in step. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { examplesDir, repoRoot } from './paths';
import type { ProblemRow, Workbench } from './workbench';

export const exampleConfig = readFileSync(join(examplesDir, 'krakend.json'), 'utf8');

/** 1-based line of the `nth` (0-based) line containing `needle` in `text`. */
export function lineOf(text: string, needle: string, nth = 0): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle)) {
      if (seen === nth) return i + 1;
      seen++;
    }
  }
  throw new Error(`${JSON.stringify(needle)} (#${nth}) is not in the example config`);
}

/** The line that closes the last endpoint object: `    }` right before the endpoints' `  ]`. */
export function lastEndpointCloseLine(text: string): number {
  const lines = text.split('\n');
  const close = lines.findIndex((l) => l === '  ]');
  if (close < 1 || lines[close - 1] !== '    }') throw new Error('the example config no longer ends its endpoints with "    }" / "  ]"');
  return close; // 1-based number of the line before `  ]`
}

/** An endpoint object as typed after the last one (starting with the comma that separates it). */
export function endpointText(path: string, backendPath: string, backendHost = 'http://host.docker.internal:8081'): string {
  return [
    ',',
    '    {',
    `      "endpoint": "${path}",`,
    '      "method": "GET",',
    '      "backend": [',
    '        {',
    `          "host": ["${backendHost}"],`,
    `          "url_pattern": "${backendPath}"`,
    '        }',
    '      ]',
    '    }',
  ].join('\n');
}

/**
 * Settings that make checks deterministic and offline: the v2.13 schema from the shared reference
 * copy (tests may read it; it is never copied into the repo), no downloads.
 */
export function offlineSchemaSettings(): Record<string, unknown> {
  const reference = resolve(repoRoot, '..', 'shared', 'reference', 'krakend-schema', 'v2.13', 'krakend.json');
  return {
    'krakend.schema.download': false,
    ...(existsSync(reference) ? { 'krakend.schema.url': reference } : {}),
  };
}

/** The example's `"version": 3,` line and the `"name"` key after it (1-based, as the editor's Ln). */
export const versionLine = lineOf(exampleConfig, '"version": 3,');
export const nameLine = lineOf(exampleConfig, '"name":');

/**
 * Deletes the comma after `"version": 3` and saves; Go's encoding/json then stops at the next
 * key. Asserts there is exactly one json/syntax problem, on that key's line, and returns it
 * with every row of the Problems panel.
 */
export async function breakCommaAfterVersion(wb: Workbench): Promise<{ syntax: ProblemRow; rows: ProblemRow[] }> {
  await wb.gotoLineEnd(versionLine);
  await wb.page.keyboard.press('Backspace');
  await wb.save();
  const rows = await wb.waitForProblems('json/syntax', (r) => r.some((p) => p.code.includes('json/syntax')));
  const syntax = rows.filter((p) => p.code.includes('json/syntax'));
  assert.equal(syntax.length, 1, JSON.stringify(rows));
  assert.equal(syntax[0]!.line, nameLine, `json/syntax should be at the key after the missing comma: ${JSON.stringify(rows)}`);
  return { syntax: syntax[0]!, rows };
}

/** Rewrites the workspace copy of examples/krakend.json to the session's gateway and backend ports. */
export function useExamplePorts(dir: string, ports: { readonly gateway: number; readonly backend: number }): void {
  const file = join(dir, 'krakend.json');
  const text = readFileSync(file, 'utf8').replace('"port": 8080', `"port": ${ports.gateway}`).replaceAll('host.docker.internal:8081', `host.docker.internal:${ports.backend}`);
  writeFileSync(file, text);
}
