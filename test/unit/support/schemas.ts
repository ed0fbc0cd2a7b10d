/**
 * The two schemas the unit tests lint with: our bundled one and the real upstream v2.13, read
 * from ../shared next to the repository (never copied into it).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkConfig } from '../../../server/src/core/check';
import type { CheckOutput } from '../../../server/src/core/check';
import { compileSchema } from '../../../server/src/core/schema/compile';
import type { CompiledSchema } from '../../../server/src/core/schema/compile';
import { lint } from '../../../server/src/core/schema/lint';
import { formatOf } from '../../../server/src/core/types';
import { upstreamSchemaPath } from '../../support/reference';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const UPSTREAM_V2_13 = upstreamSchemaPath('v2.13');

export interface TestSchemas {
  readonly bundled: CompiledSchema;
  readonly 'v2.13': CompiledSchema;
}

/** Compiles both; fails clearly when ../shared is not there. */
export async function compileTestSchemas(): Promise<TestSchemas> {
  assert.ok(existsSync(UPSTREAM_V2_13), `the upstream schema ${UPSTREAM_V2_13} is missing: this test needs shared/reference/krakend-schema next to the repository (../shared, or ../../shared from a worktree)`);
  const bundled = await compileSchema('https://krakend-live.dev/schema/krakend.json', JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'krakend.json'), 'utf8')) as object);
  const upstream = await compileSchema('https://www.krakend.io/schema/v2.13/krakend.json', JSON.parse(readFileSync(UPSTREAM_V2_13, 'utf8')) as object);
  return { bundled, 'v2.13': upstream };
}

/** The full pipeline with one of those schemas as the lint. */
export function checkWith(text: string, fileName: string, schema: CompiledSchema): CheckOutput {
  return checkConfig({ text, format: formatOf(fileName), lint: (root, plain) => lint(root, schema, plain) });
}

/** The names of TestSchemas, for tests that run once per schema. */
export const SCHEMA_NAMES = ['bundled', 'v2.13'] as const satisfies readonly (keyof TestSchemas)[];
