import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SIBLING_BYTES, Staging, collectConfigFiles, flexibleFoldersIn } from '../../client/src/gateway/staging';

async function tempDirs(): Promise<{ root: string; src: string; stage: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'krakend-staging-'));
  const src = join(root, 'workspace');
  const stage = join(root, 'storage', 'staging', 'abc');
  await mkdir(src, { recursive: true });
  return { root, src, stage, cleanup: () => rm(root, { recursive: true, force: true }) };
}

async function snapshot(dir: string): Promise<Record<string, { content: string; mtimeMs: number; ino: number }>> {
  const out: Record<string, { content: string; mtimeMs: number; ino: number }> = {};
  for (const n of (await readdir(dir)).sort()) {
    const st = await stat(join(dir, n));
    out[n] = { content: await readFile(join(dir, n), 'utf8'), mtimeMs: st.mtimeMs, ino: st.ino };
  }
  return out;
}

void test('collects the config last, stageable siblings first; skips hidden, other extensions, subfolders and big files', async () => {
  const d = await tempDirs();
  try {
    await writeFile(join(d.src, 'krakend.json'), '{"version":3}');
    await writeFile(join(d.src, 'b.yaml'), 'a: 1');
    await writeFile(join(d.src, 'a.json'), '{}');
    await writeFile(join(d.src, 'c.toml'), 'x = 1');
    await writeFile(join(d.src, '.secret.json'), '{}');
    await writeFile(join(d.src, 'notes.md'), '# hi');
    await writeFile(join(d.src, 'huge.json'), Buffer.alloc(MAX_SIBLING_BYTES + 1, 32));
    await mkdir(join(d.src, 'settings'));
    await writeFile(join(d.src, 'settings', 'urls.json'), '{}');
    const files = await collectConfigFiles(join(d.src, 'krakend.json'));
    assert.deepEqual(files.map((f) => f.name), ['a.json', 'b.yaml', 'c.toml', 'krakend.json']);
    // The checked text wins over what is on disk.
    const checked = await collectConfigFiles(join(d.src, 'krakend.json'), '{"version":3,"port":9}');
    assert.equal(checked.at(-1)!.content.toString(), '{"version":3,"port":9}');
  } finally {
    await d.cleanup();
  }
});

void test('stage writes every file world-readable, leaves no temp files, removes files no longer staged', async () => {
  const d = await tempDirs();
  try {
    const s = new Staging(d.stage);
    const r1 = await s.stage([{ name: 'old.json', content: Buffer.from('{}') }, { name: 'krakend.json', content: Buffer.from('{"version":3}') }]);
    assert.deepEqual(r1, { written: ['old.json', 'krakend.json'], unchanged: [], removed: [] });
    assert.equal((await stat(join(d.stage, 'krakend.json'))).mode & 0o777, 0o644);
    assert.equal((await stat(d.stage)).mode & 0o777, 0o755);
    const r2 = await s.stage([{ name: 'krakend.json', content: Buffer.from('{"version":3,"port":1}') }]);
    assert.deepEqual(r2, { written: ['krakend.json'], unchanged: [], removed: ['old.json'] });
    assert.deepEqual(await readdir(d.stage), ['krakend.json']);
    assert.equal(await readFile(join(d.stage, 'krakend.json'), 'utf8'), '{"version":3,"port":1}');
  } finally {
    await d.cleanup();
  }
});

void test('each file is replaced atomically by rename: a reader holding the old file sees the whole old content', async () => {
  const d = await tempDirs();
  try {
    const s = new Staging(d.stage);
    const oldText = JSON.stringify({ version: 3, endpoints: Array.from({ length: 2000 }, (_, i) => ({ endpoint: `/old/${i}` })) });
    await s.stage([{ name: 'krakend.json', content: Buffer.from(oldText) }]);
    const before = await stat(join(d.stage, 'krakend.json'));
    const reader = await open(join(d.stage, 'krakend.json'), 'r');
    try {
      await s.stage([{ name: 'krakend.json', content: Buffer.from('{"version":3,"endpoints":[]}') }]);
      // Opened before the swap: still the complete old file (an in-place write would truncate it).
      assert.equal((await reader.readFile()).toString(), oldText);
    } finally {
      await reader.close();
    }
    const after = await stat(join(d.stage, 'krakend.json'));
    assert.notEqual(after.ino, before.ino, 'a new inode means rename, not an in-place write');
    assert.equal(await readFile(join(d.stage, 'krakend.json'), 'utf8'), '{"version":3,"endpoints":[]}');
  } finally {
    await d.cleanup();
  }
});

void test('unchanged files are not rewritten (a no-op write would wake reflex); force rewrites the last one', async () => {
  const d = await tempDirs();
  try {
    const s = new Staging(d.stage);
    const files = [{ name: 'a.json', content: Buffer.from('{}') }, { name: 'krakend.json', content: Buffer.from('{"version":3}') }];
    await s.stage(files);
    const before = await snapshot(d.stage);
    assert.deepEqual(await s.stage(files), { written: [], unchanged: ['a.json', 'krakend.json'], removed: [] });
    assert.deepEqual(await snapshot(d.stage), before);
    const forced = await s.stage(files, true);
    assert.deepEqual(forced.written, ['krakend.json']);
    assert.notEqual((await snapshot(d.stage))['krakend.json']!.ino, before['krakend.json']!.ino);
  } finally {
    await d.cleanup();
  }
});

void test('a failed check changes nothing in staging (same bytes, same inode, same mtime)', async () => {
  const d = await tempDirs();
  try {
    const s = new Staging(d.stage);
    await writeFile(join(d.src, 'krakend.json'), '{"version":3,"endpoints":[{"endpoint":"/good","backend":[{"host":["http://x"],"url_pattern":"/"}]}]}');
    const good = await s.commit({ ok: true }, () => collectConfigFiles(join(d.src, 'krakend.json')));
    assert.deepEqual(good?.written, ['krakend.json']);
    const before = await snapshot(d.stage);
    await writeFile(join(d.src, 'krakend.json'), '{"version":3,"endpoints":[{"endpoint":"/bad"');
    let read = false;
    const bad = await s.commit({ ok: false }, async () => {
      read = true;
      return collectConfigFiles(join(d.src, 'krakend.json'));
    });
    assert.equal(bad, undefined);
    assert.equal(read, false, 'an invalid save is not even read');
    assert.deepEqual(await snapshot(d.stage), before);
  } finally {
    await d.cleanup();
  }
});

void test('temp files left by a crash are cleaned; unsafe names are refused', async () => {
  const d = await tempDirs();
  try {
    await mkdir(d.stage, { recursive: true });
    await writeFile(join(d.stage, '.staging-deadbeef-krakend.json'), '{"half');
    const s = new Staging(d.stage);
    await s.ensure();
    assert.deepEqual(await readdir(d.stage), []);
    await assert.rejects(s.writeAtomic('../escape.json', Buffer.from('{}')), /refusing/);
    await assert.rejects(s.writeAtomic('.hidden', Buffer.from('{}')), /refusing/);
    assert.equal(await s.read('missing.json'), undefined);
    assert.deepEqual(await new Staging(join(d.root, 'nope')).list(), []);
  } finally {
    await d.cleanup();
  }
});

void test('a Flexible Configuration stages its folders as KrakenD reads them: top-level settings .json, templates .tmpl, every partial; a folder dropped later is removed', async () => {
  const d = await tempDirs();
  try {
    await writeFile(join(d.src, 'krakend.tmpl'), '{"version":3,{{ include "x.json" }}}');
    await mkdir(join(d.src, 'settings', 'deeper'), { recursive: true });
    await writeFile(join(d.src, 'settings', 'urls.json'), '{"a":1}');
    await writeFile(join(d.src, 'settings', 'notes.txt'), 'no');
    await writeFile(join(d.src, 'settings', 'deeper', 'x.json'), '{}');
    await mkdir(join(d.src, 'templates'));
    await writeFile(join(d.src, 'templates', 'ep.tmpl'), '{}');
    await writeFile(join(d.src, 'templates', 'ep.json'), '{}');
    await mkdir(join(d.src, 'partials', 'sub'), { recursive: true });
    await writeFile(join(d.src, 'partials', 'x.json'), '"name": "x"');
    await writeFile(join(d.src, 'partials', 'sub', 'y.txt'), 'y');
    await writeFile(join(d.src, 'partials', '.hidden'), 'h');
    const fc = { settings: join(d.src, 'settings'), templates: join(d.src, 'templates'), partials: join(d.src, 'partials') };
    const files = await collectConfigFiles(join(d.src, 'krakend.tmpl'), undefined, fc);
    assert.deepEqual(files.map((f) => f.name), ['settings/urls.json', 'templates/ep.tmpl', 'partials/sub/y.txt', 'partials/x.json', 'krakend.tmpl']);
    const s = new Staging(d.stage);
    await s.stage(files);
    assert.deepEqual(await s.list(), ['krakend.tmpl', 'partials/sub/y.txt', 'partials/x.json', 'settings/urls.json', 'templates/ep.tmpl']);
    assert.equal(await readFile(join(d.stage, 'partials', 'sub', 'y.txt'), 'utf8'), 'y');
    assert.deepEqual(flexibleFoldersIn(await s.list()), { settings: true, partials: true, templates: true });
    assert.deepEqual(flexibleFoldersIn(['krakend.json', 'settings.json']), { settings: false, partials: false, templates: false });
    // The templates folder is no longer used: its files and the folder go.
    const r = await s.stage(await collectConfigFiles(join(d.src, 'krakend.tmpl'), undefined, { settings: fc.settings, partials: fc.partials }));
    assert.deepEqual(r.removed, ['templates/ep.tmpl']);
    assert.deepEqual(await readdir(d.stage), ['krakend.tmpl', 'partials', 'settings']);
    await assert.rejects(s.writeAtomic('partials/../../escape.json', Buffer.from('{}')), /refusing to stage/);
    await assert.rejects(s.writeAtomic('/abs.json', Buffer.from('{}')), /refusing to stage/);
  } finally {
    await d.cleanup();
  }
});

void test('without FC_PARTIALS, the files an include read are staged at their path in the configuration folder; ones outside it are not', async () => {
  const d = await tempDirs();
  try {
    await writeFile(join(d.src, 'krakend.tmpl'), '{"version":3,"extra_config":{{ include "snippets/cors.txt" }},"x":{{ include "../outside.json" }}}');
    await mkdir(join(d.src, 'snippets'));
    await writeFile(join(d.src, 'snippets', 'cors.txt'), '{"security/cors":{}}');
    await writeFile(join(d.src, 'snippets', 'unused.txt'), 'not read by the render');
    await writeFile(join(d.src, 'sibling.json'), '{}');
    await writeFile(join(d.root, 'outside.json'), '{}');
    await mkdir(join(d.src, 'settings'));
    await writeFile(join(d.src, 'settings', 'urls.json'), '{"a":1}');
    const read = [join(d.src, 'krakend.tmpl'), join(d.src, 'settings', 'urls.json'), join(d.src, 'snippets', 'cors.txt'), join(d.src, 'sibling.json'), join(d.root, 'outside.json'), join(d.src, 'snippets', 'deleted.txt')];
    const files = await collectConfigFiles(join(d.src, 'krakend.tmpl'), undefined, { settings: join(d.src, 'settings'), files: read });
    assert.deepEqual(files.map((f) => f.name), ['sibling.json', 'settings/urls.json', 'snippets/cors.txt', 'krakend.tmpl']);
    const s = new Staging(d.stage);
    await s.stage(files);
    assert.equal(await readFile(join(d.stage, 'snippets', 'cors.txt'), 'utf8'), '{"security/cors":{}}');
    // With FC_PARTIALS set, the partials folder is what is staged, not the files read in place.
    const withPartials = await collectConfigFiles(join(d.src, 'krakend.tmpl'), undefined, { partials: join(d.src, 'snippets'), files: read });
    assert.deepEqual(withPartials.map((f) => f.name), ['sibling.json', 'partials/cors.txt', 'partials/unused.txt', 'krakend.tmpl']);
  } finally {
    await d.cleanup();
  }
});
