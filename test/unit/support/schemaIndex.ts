/** SchemaIndex over the two schemas the unit tests use: our bundled one and the upstream v2.13. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaIndex } from '../../../server/src/core/intel/schemaNav';
import { REPO_ROOT, UPSTREAM_V2_13 } from './schemas';

let cache: { bundled: SchemaIndex; 'v2.13': SchemaIndex } | undefined;

export function schemaIndexes(): { bundled: SchemaIndex; 'v2.13': SchemaIndex } {
  cache ??= {
    bundled: new SchemaIndex({ url: 'https://krakend-live.dev/schema/krakend.json', root: JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'krakend.json'), 'utf8')) as object, refs: new Map() }),
    'v2.13': new SchemaIndex({ url: 'https://www.krakend.io/schema/v2.13/krakend.json', root: JSON.parse(readFileSync(UPSTREAM_V2_13, 'utf8')) as object, refs: new Map() }),
  };
  return cache;
}
