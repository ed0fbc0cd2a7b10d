/**
 * Where the real code-server and Chromium are. They come from the test-environment setup
 * (scripts/test-env.sh → test/.env.json, read through test/support/env.ts); a missing one fails
 * the test with that module's message instead of being skipped.
 */
import { requireComponent } from '../../support/env';

export interface EditorComponents {
  /** code-server's `out/node/entry.js`, run with this Node. */
  readonly codeServerEntry: string;
  readonly chromium: string;
}

export function editorComponents(): EditorComponents {
  return { codeServerEntry: requireComponent('code-server').entry, chromium: requireComponent('chromium').executable };
}
