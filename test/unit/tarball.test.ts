// The archive of staged files (client/src/gateway/tarball.ts) that archive delivery puts into a
// container. Read back by tar-stream (dockerode's tar-fs reads with it; an implementation that is
// not ours), plus the header bytes the engine's Go archive/tar checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { splitUstarName, tarFiles } from '../../client/src/gateway/tarball';

interface Header {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  type: string;
  mtime: Date;
}
interface Extract {
  on(event: 'entry', cb: (h: Header, stream: NodeJS.ReadableStream, next: () => void) => void): void;
  on(event: 'finish', cb: () => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  end(b: Buffer): void;
}
const tarStream = createRequire(__filename)('tar-stream') as { extract(): Extract };

async function read(archive: Buffer): Promise<{ header: Header; content: string }[]> {
  const out: { header: Header; content: string }[] = [];
  const ex = tarStream.extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      out.push({ header, content: Buffer.concat(chunks).toString('utf8') });
      next();
    });
  });
  ex.end(archive);
  await done;
  return out;
}

const MTIME = 1_765_000_000;

void test('files below the root, with a folder entry before the first file in it; root-owned, 0644 files and 0755 folders', async () => {
  const archive = tarFiles(
    [
      { name: 'settings/service.json', content: Buffer.from('{"port":8080}') },
      { name: 'partials/a/b.tmpl', content: Buffer.from('{{ . }}') },
      { name: 'krakend.json', content: Buffer.from('{ "version": 3 }') },
    ],
    { root: '/etc/krakend/', mtime: MTIME },
  );
  assert.equal(archive.length % 512, 0);
  assert.ok(archive.subarray(-1024).equals(Buffer.alloc(1024)), 'two zero blocks end it');
  const entries = await read(archive);
  assert.deepEqual(
    // Folder names end in `/` in the archive; readers differ on keeping it.
    entries.map((e) => [e.header.name.replace(/\/$/, ''), e.header.type, e.header.mode.toString(8), e.header.uid, e.header.gid, e.content]),
    [
      ['etc/krakend/settings', 'directory', '755', 0, 0, ''],
      ['etc/krakend/settings/service.json', 'file', '644', 0, 0, '{"port":8080}'],
      ['etc/krakend/partials', 'directory', '755', 0, 0, ''],
      ['etc/krakend/partials/a', 'directory', '755', 0, 0, ''],
      ['etc/krakend/partials/a/b.tmpl', 'file', '644', 0, 0, '{{ . }}'],
      ['etc/krakend/krakend.json', 'file', '644', 0, 0, '{ "version": 3 }'],
    ],
  );
  assert.equal(entries[0]!.header.mtime.getTime(), MTIME * 1000);
});

void test('the header checksum and ustar magic, as archive/tar checks them', () => {
  const h = tarFiles([{ name: 'krakend.json', content: Buffer.from('{}') }], { mtime: MTIME }).subarray(0, 512);
  const stored = Number.parseInt(h.subarray(148, 154).toString('latin1'), 8);
  const copy = Buffer.from(h);
  copy.fill(0x20, 148, 156);
  assert.equal(stored, copy.reduce((a, b) => a + b, 0));
  assert.equal(h.subarray(257, 263).toString('latin1'), 'ustar\0');
  assert.equal(h.subarray(0, 12).toString('latin1'), 'krakend.json');
  assert.equal(h.subarray(124, 136).toString('latin1'), '00000000002\0', 'size in octal');
});

void test('long names: split into prefix and name at a slash, else a PAX path record; UTF-8 kept', async () => {
  const deep = `partials/${'a'.repeat(120)}/${'b'.repeat(90)}.json`;
  const flat = `partials/${'c'.repeat(200)}.json`;
  assert.deepEqual(splitUstarName(deep), { prefix: `partials/${'a'.repeat(120)}`, name: `${'b'.repeat(90)}.json` });
  assert.equal(splitUstarName(flat), undefined);
  assert.deepEqual(splitUstarName('krakend.json'), { prefix: '', name: 'krakend.json' });
  // PAX records whose length gains a digit by counting itself (998 bytes + "998" needs four digits).
  const names = [deep, flat, 'partials/ñandú.json', ...[101, 150, 989, 990, 991, 992, 993, 1000].map((n) => 'x'.repeat(n))];
  const archive = tarFiles(names.map((name, i) => ({ name, content: Buffer.from(String(i)) })), { mtime: MTIME });
  const files = (await read(archive)).filter((e) => e.header.type === 'file');
  assert.deepEqual(files.map((e) => [e.header.name, e.content]), names.map((n, i) => [n, String(i)]));
});

void test('names that would leave the root, or come twice, are refused', () => {
  for (const name of ['../x.json', 'a/../../x', '/abs.json', 'a//b', 'a\\b', '.', 'a/./b']) {
    assert.throws(() => tarFiles([{ name, content: Buffer.alloc(0) }], { mtime: MTIME }), /refusing/, name);
  }
  assert.throws(() => tarFiles([{ name: 'a.json', content: Buffer.alloc(0) }, { name: 'a.json', content: Buffer.alloc(1) }], { mtime: MTIME }), /twice/);
  assert.throws(() => tarFiles([], { root: '../etc', mtime: MTIME }), /refusing/);
});

void test('sizes that fill whole blocks get no padding; an empty archive is the two end blocks', async () => {
  const archive = tarFiles([{ name: 'x.json', content: Buffer.alloc(1024, 0x41) }], { mtime: MTIME });
  assert.equal(archive.length, 512 + 1024 + 1024);
  assert.equal((await read(archive))[0]!.content.length, 1024);
  assert.deepEqual(tarFiles([], { mtime: MTIME }), Buffer.alloc(1024));
});
