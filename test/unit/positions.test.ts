import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineIndex } from '../../server/src/core/positions';

const fixtures = join(__dirname, '..', 'fixtures', 'parse');
const read = (name: string): string => readFileSync(join(fixtures, name), 'utf8');

void test('LF lines: 0-based line and character', () => {
  const idx = new LineIndex('ab\ncd\n');
  assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(idx.positionAt(2), { line: 0, character: 2 });
  assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(idx.positionAt(5), { line: 1, character: 2 });
  assert.deepEqual(idx.positionAt(6), { line: 2, character: 0 });
  assert.equal(idx.lineCount, 3);
});

void test('CRLF is one line end, and the \\n of a pair belongs to the line it ends', () => {
  const text = read('crlf-valid.json');
  const idx = new LineIndex(text);
  const v = text.indexOf('"version"');
  assert.deepEqual(idx.positionAt(v), { line: 1, character: 2 });
  const n = text.indexOf('"name"');
  assert.deepEqual(idx.positionAt(n), { line: 2, character: 2 });
  // The \r and the \n both sit at the end of line 0: LSP has no position between them, and a
  // character past the line's length is outside the document.
  assert.deepEqual(idx.positionAt(1), { line: 0, character: 1 });
  assert.deepEqual(idx.positionAt(2), { line: 0, character: 1 });
  assert.equal(idx.lineCount, 5);
});

void test('a span that covers the \\r of a CRLF ends at the end of its line, never past it', () => {
  // Go stops an unterminated string at the \r ("invalid character '\\r' in string literal"); the
  // span's end is the \n's offset, between the two halves of the line end (fuzz finding,
  // test/fixtures/fuzz/crlf-in-string.json).
  const text = '{\r\n  "name": "abc\r\n';
  const idx = new LineIndex(text);
  const r = idx.rangeOf({ offset: text.indexOf('\r', 3), length: 1 });
  assert.deepEqual(r, { start: { line: 1, character: 14 }, end: { line: 1, character: 14 } });
  assert.equal('  "name": "abc'.length, 14);
});

void test('a lone CR ends a line, as in LSP', () => {
  const text = read('cr-only.json');
  const idx = new LineIndex(text);
  assert.deepEqual(idx.positionAt(text.indexOf('"x"')), { line: 2, character: 2 });
  assert.equal(idx.lineCount, 5);
});

void test('mixed line ends: \\r\\n, \\n, \\r, and \\n\\r which is two line ends', () => {
  const idx = new LineIndex('a\r\nb\nc\rd\n\re');
  assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(idx.positionAt(5), { line: 2, character: 0 });
  assert.deepEqual(idx.positionAt(7), { line: 3, character: 0 });
  assert.deepEqual(idx.positionAt(10), { line: 5, character: 0 });
});

void test('a tab is one character', () => {
  const text = read('tabs.json');
  const idx = new LineIndex(text);
  assert.deepEqual(idx.positionAt(text.indexOf('NaN')), { line: 3, character: 16 });
});

void test('non-ASCII: characters are UTF-16 code units, an emoji counts 2', () => {
  const text = read('non-ascii-valid.json');
  const idx = new LineIndex(text);
  // `  "name": "Zürich 😀 gateway", "port"`: ü is 1 unit, 😀 is a surrogate pair.
  const port = text.indexOf('"port"');
  assert.deepEqual(idx.positionAt(port), { line: 1, character: '  "name": "Zürich 😀 gateway", '.length });
  assert.equal('  "name": "Zürich 😀 gateway", '.length, 31);
  assert.deepEqual(idx.rangeOf({ offset: text.indexOf('😀'), length: 2 }), {
    start: { line: 1, character: 18 },
    end: { line: 1, character: 20 },
  });
});

void test('a BOM is an ordinary character at offset 0 (column 0) by default', () => {
  const text = read('bom.json');
  assert.equal(text.charCodeAt(0), 0xfeff, 'Node keeps the BOM when reading UTF-8');
  const idx = new LineIndex(text);
  assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(idx.positionAt(1), { line: 0, character: 1 }, 'the { after the BOM');
  assert.deepEqual(idx.positionAt(text.indexOf('"version"')), { line: 1, character: 2 }, 'other lines are unaffected');
});

void test('VS Code strips the BOM from a document, so bomAsEditor counts line 0 from after it', () => {
  // VS Code opens a UTF-8 file with a BOM as "UTF-8 with BOM" and its TextDocument text starts
  // at the character after the BOM: the `{` is at character 0 in the editor. A text read from
  // disk must then be mapped with bomAsEditor to land on the same columns.
  const text = read('bom.json');
  const idx = new LineIndex(text, { bomAsEditor: true });
  assert.deepEqual(idx.positionAt(0), { line: 0, character: 0 }, 'the BOM itself collapses onto column 0');
  assert.deepEqual(idx.positionAt(1), { line: 0, character: 0 }, 'the { is column 0 as VS Code shows it');
  assert.deepEqual(idx.positionAt(2), { line: 0, character: 1 });
  assert.deepEqual(idx.positionAt(text.indexOf('"version"')), { line: 1, character: 2 });
  assert.equal(idx.offsetAt({ line: 0, character: 0 }), 1);
  // Without a BOM the option changes nothing.
  assert.deepEqual(new LineIndex('{}', { bomAsEditor: true }).positionAt(1), { line: 0, character: 1 });
});

void test('offsetAt inverts positionAt and clamps like LSP', () => {
  const text = 'ab\r\ncd\re\n';
  const idx = new LineIndex(text);
  for (let o = 0; o <= text.length; o++) {
    const p = idx.positionAt(o);
    // Offsets inside a CRLF pair resolve to the same position as the \r; skip the \n of the pair.
    if (o === 3) continue;
    assert.equal(idx.offsetAt(p), o, `offset ${o}`);
  }
  assert.equal(idx.offsetAt({ line: 0, character: 99 }), 2, 'past the end of a line: before its line break');
  assert.equal(idx.offsetAt({ line: 1, character: 99 }), 6);
  assert.equal(idx.offsetAt({ line: 99, character: 0 }), text.length);
  assert.equal(idx.offsetAt({ line: -1, character: 0 }), 0);
});

void test('rangeOf and offsets past the end are clamped to the text', () => {
  const idx = new LineIndex('{\n}');
  assert.deepEqual(idx.rangeOf({ offset: 3, length: 0 }), { start: { line: 1, character: 1 }, end: { line: 1, character: 1 } });
  assert.deepEqual(idx.positionAt(100), { line: 1, character: 1 });
  assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(new LineIndex('').positionAt(0), { line: 0, character: 0 });
});

void test('lines are found only as far as asked, in any order of asking, with the same answers as a full scan', () => {
  // A naive oracle: every line start, from a split on the three LSP line ends.
  const oracle = (text: string, o: number): { line: number; character: number } => {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\r' && text[i + 1] === '\n') continue;
      if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
    }
    let c = Math.max(0, Math.min(o, text.length));
    if (c > 0 && text[c] === '\n' && text[c - 1] === '\r') c--;
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= c) line++;
    return { line, character: c - starts[line]! };
  };
  let seed = 7;
  // The high bits: an LCG's low bits cycle (its lowest alternates), which would skip half the pieces.
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % n;
  const pieces = ['a', 'bc', '\n', '\r', '\r\n', '\n\r', 'é', '😀', ' '];
  for (let t = 0; t < 200; t++) {
    let text = '';
    for (let i = rand(40); i > 0; i--) text += pieces[rand(pieces.length)];
    const idx = new LineIndex(text);
    // Offsets asked out of order (late first, then early), past the end, and at CRLF halves.
    for (let k = 0; k < 12; k++) {
      const o = rand(text.length + 3) - 1;
      assert.deepEqual(idx.positionAt(o), oracle(text, o), `${JSON.stringify(text)} at ${o}`);
    }
    const fresh = new LineIndex(text);
    const count = oracle(text, text.length).line + 1;
    assert.equal(fresh.lineCount, count, JSON.stringify(text));
    for (let line = 0; line <= count; line++) {
      const o = new LineIndex(text).offsetAt({ line, character: 0 });
      assert.equal(o, line >= count ? text.length : idx.offsetAt({ line, character: 0 }), `${JSON.stringify(text)} line ${line}`);
    }
  }
});
