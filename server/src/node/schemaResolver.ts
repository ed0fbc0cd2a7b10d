/**
 * The schema side of a check, for the language server and the CLI.
 *
 * A first download can take seconds (10 s at worst, like `krakend check -l`), and the first
 * diagnostics must not wait for it. So the first time a document asks for a schema that is
 * neither cached nor local, it is linted at once with what is at hand (the cache or the
 * bundled schema) while the download runs in the background; when the official schema has
 * arrived, `onSchemaReady` asks the caller to check again.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerSettings } from '../../../shared/settings';
import type { PreparedLint, SchemaResolver } from './checker';
import type { ValueNode } from '../core/ast';
import { schemaUrlFor } from '../core/schema/url';
import { createSchemaLinting } from './schemaStore';
import type { StoreFs } from './schemaStore';

export interface SchemaResolverOptions {
  /** Where downloaded schemas are cached; a temp folder when the client gave none. */
  readonly storagePath?: string;
  readonly log: (message: string) => void;
  /** Called when a background download has brought a schema a document asked for. */
  readonly onSchemaReady?: () => void;
  /** The cache's file calls; node:fs/promises by default. */
  readonly fs?: StoreFs;
}

export function createSchemaResolver(options: SchemaResolverOptions): SchemaResolver {
  const storageDir = options.storagePath ?? join(tmpdir(), 'krakend-live-schemas');
  // One linter, so each schema is compiled once whichever path asked for it.
  const linting = createSchemaLinting(options.fs ? { storageDir, log: options.log, fs: options.fs } : { storageDir, log: options.log });
  const attempted = new Set<string>();
  const inFlight = new Set<string>();
  const background = new Set<Promise<unknown>>();

  return {
    async prepare(root: ValueNode, settings: ServerSettings['schema']): Promise<PreparedLint> {
      const url = schemaUrlFor(root, settings.url).url;
      if (!settings.download || attempted.has(url)) return linting.prepare(root, settings);
      // Lint now with the cache, a local file or the bundled schema; never wait for the network.
      const now = await linting.prepare(root, { ...settings, download: false, deferDownload: true });
      if (now.origin !== 'bundled') {
        attempted.add(url);
        return now;
      }
      if (!inFlight.has(url)) {
        inFlight.add(url);
        const task = linting.prepare(root, settings).then((r) => {
          attempted.add(url);
          inFlight.delete(url);
          if (r.origin === 'download' || r.origin === 'cache') {
            options.log(`schema: ${url} is ready (${r.origin}); checking again`);
            options.onSchemaReady?.();
          }
        });
        background.add(task);
        void task.finally(() => background.delete(task));
      }
      return now;
    },
    async idle(): Promise<void> {
      while (background.size > 0) await Promise.allSettled([...background]);
      await linting.idle();
    },
  };
}
