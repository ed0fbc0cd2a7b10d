/**
 * The schema a user has after the first download: the official v2.13 schema in the extension's
 * cache, found through the config's $schema. Without the reference copy in ../shared, the bundled one.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_SERVER_SETTINGS } from '../../shared/settings';
import type { ServerSettings } from '../../shared/settings';
import { officialSchemaUrl } from '../../server/src/core/schema/url';
import { createSchemaResolver } from '../../server/src/node/schemaResolver';
import type { SchemaResolver } from '../../server/src/node/checker';
import { SchemaStore } from '../../server/src/node/schemaStore';

/** The upstream v2.13 schema in ../shared (reference data, read in place, never copied into the project). */
export const upstream = resolve('..', 'shared', 'reference', 'krakend-schema', 'v2.13', 'krakend.json');

export interface BenchSchema {
  readonly resolver: SchemaResolver;
  readonly settings: ServerSettings['schema'];
}

/** A resolver over a schema cache in `dir`, offline; prints which schema the numbers were made with. */
export function benchSchema(dir: string): BenchSchema {
  const storageDir = join(dir, 'schemas');
  const cached = existsSync(upstream);
  if (cached) {
    mkdirSync(storageDir, { recursive: true });
    copyFileSync(upstream, new SchemaStore({ storageDir }).cachePath(officialSchemaUrl('2.13')));
  }
  console.log(`schema: ${cached ? 'official v2.13 from the cache' : 'bundled'}`);
  return { resolver: createSchemaResolver({ storagePath: storageDir, log: () => undefined }), settings: { ...DEFAULT_SERVER_SETTINGS.schema, download: false } };
}
