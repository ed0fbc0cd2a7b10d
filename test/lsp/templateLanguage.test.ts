// The client switches KrakenD JSON files that are templates to the krakend-template language
// (client/src/templateLanguage.ts). VS Code then closes and reopens the document with the new
// language id; the server must go on checking it, since it picks files by path, not language.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEMPLATE_LANGUAGE } from '../../client/src/templateLanguageChoice';
import { startHarness } from './support/harness';
import type { Harness } from './support/harness';

const DUPLICATE = `{
  "version": 3,
  "endpoints": [
    { "endpoint": "/a", "backend": [{ "url_pattern": "/x", "host": ["http://127.0.0.1:8081"] }] },
    { "endpoint": "/a", "backend": [{ "url_pattern": "/y", "host": ["http://127.0.0.1:8081"] }] }
  ]
}
`;

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.dispose());

test('a config opened as krakend-template is checked like one opened as JSON', async () => {
  const uri = 'file:///work/project/krakend.json';
  const diags = h.nextDiagnostics(uri);
  await h.open(uri, DUPLICATE, 1, TEMPLATE_LANGUAGE);
  assert.ok((await diags).some((d) => d.code === 'route/duplicate'));
  await h.close(uri);
});

test('a language switch (close, then open with the new id) publishes the problems again', async () => {
  const uri = 'file:///work/project/krakend-switch.json';
  const first = h.nextDiagnostics(uri);
  await h.open(uri, DUPLICATE, 1, 'json');
  assert.ok((await first).some((d) => d.code === 'route/duplicate'));
  const cleared = h.nextDiagnostics(uri);
  await h.close(uri);
  assert.deepEqual(await cleared, []);
  const again = h.nextDiagnostics(uri);
  const result = h.nextCheckResult(uri);
  await h.open(uri, DUPLICATE, 1, TEMPLATE_LANGUAGE);
  assert.ok((await again).some((d) => d.code === 'route/duplicate'));
  assert.equal((await result).trigger, 'open');
  await h.close(uri);
});
