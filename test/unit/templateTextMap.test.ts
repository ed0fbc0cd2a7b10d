// The source map of a partial's text through the functions it goes through (core/template/textMap.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkFlexibleProject } from '../../server/src/core/flexible';
import { render } from '../../server/src/core/template/render';
import { REPO_ROOT } from './support/schemas';

const PARTIAL = '\n  "encoding": "jsonx",\n  "method": "GET"\n';

/** Renders `{{ <pipeline> }}` with `p.json` holding PARTIAL; returns the output and a lookup. */
function through(pipeline: string): { output: string; at: (needle: string, nth?: number) => ReturnType<typeof locate>; atOffset: (offset: number) => ReturnType<typeof locate> } {
  const r = render({ main: { name: 'krakend.tmpl', text: `<{{ ${pipeline} }}>` }, templates: [], data: {}, readPartial: (p) => (p === 'p.json' ? PARTIAL : undefined), env: () => undefined, now: () => new Date(0) });
  assert.ok(r.ok, r.ok ? '' : r.message);
  const locate = (offset: number) => r.map.at(offset);
  return {
    output: r.output,
    atOffset: locate,
    at: (needle, nth = 0) => {
      let i = -1;
      for (let k = 0; k <= nth; k++) i = r.output.indexOf(needle, i + 1);
      assert.ok(i >= 0, `${needle} is not in ${JSON.stringify(r.output)}`);
      return locate(i);
    },
  };
}

const inPartial = (needle: string) => ({ kind: 'partial', path: 'p.json', offset: PARTIAL.indexOf(needle) });

void test('include alone maps 1:1', () => {
  assert.deepEqual(through('include "p.json"').at('jsonx'), inPartial('jsonx'));
});

void test('functions that keep pieces of their argument keep the map: trim, trimAll, trimPrefix, trimSuffix, trunc', () => {
  for (const pipeline of ['include "p.json" | trim', 'include "p.json" | trimAll "\\n "', 'include "p.json" | trimall "\\n "', 'include "p.json" | trimPrefix "\\n"', 'include "p.json" | trimSuffix "\\n"', 'include "p.json" | trunc 30', 'include "p.json" | trunc -30']) {
    const t = through(pipeline);
    assert.deepEqual(t.at('jsonx'), inPartial('jsonx'), pipeline);
  }
  // trimPrefix cuts exactly its prefix, even when the rest also starts like that.
  const r = render({ main: { name: 'm', text: '{{ include "q" | trimPrefix "a" }}' }, templates: [], data: {}, readPartial: () => 'aab', env: () => undefined, now: () => new Date(0) });
  assert.ok(r.ok);
  assert.deepEqual(r.map.at(0), { kind: 'partial', path: 'q', offset: 1 });
});

void test('indent and nindent keep every line in place; the padding maps to the line it pads', () => {
  for (const pipeline of ['include "p.json" | indent 4', 'include "p.json" | nindent 6', 'include "p.json" | trim | nindent 2']) {
    const t = through(pipeline);
    assert.deepEqual(t.at('jsonx'), inPartial('jsonx'), pipeline);
    assert.deepEqual(t.at('GET'), inPartial('GET'), pipeline);
    const padding = t.output.lastIndexOf('\n', t.output.indexOf('"method"')) + 1;
    assert.deepEqual(t.atOffset(padding), inPartial('  "method"'), `${pipeline}: the padding maps to its line's start`);
  }
});

void test('case changes that keep the length keep the map: upper, lower, title', () => {
  assert.deepEqual(through('include "p.json" | upper').at('JSONX'), inPartial('jsonx'));
  assert.deepEqual(through('include "p.json" | lower').at('get'), inPartial('GET'));
  assert.deepEqual(through('include "p.json" | title').at('Jsonx'), inPartial('jsonx'));
});

void test('functions that rewrite their argument map to its span: quote, squote, toJson, replace, cat, printf', () => {
  const span = { kind: 'partial', path: 'p.json', offset: 0 };
  for (const [pipeline, needle] of [
    ['include "p.json" | quote', 'jsonx'],
    ['include "p.json" | squote', 'jsonx'],
    ['include "p.json" | toJson', 'jsonx'],
    ['include "p.json" | replace "GET" "PUT"', 'jsonx'],
    ['cat "a" (include "p.json")', 'jsonx'],
    ['printf "%s!" (include "p.json")', 'jsonx'],
  ] as const) {
    assert.deepEqual(through(pipeline).at(needle), span, pipeline);
  }
  // After trim, the span is what trim kept.
  assert.deepEqual(through('include "p.json" | trim | quote').at('jsonx'), inPartial('"encoding"'));
});

void test('examples/flexible: a bad encoding in partials/backend.json (ending in a newline, included with | trim) lands in the partial', () => {
  const dir = join(REPO_ROOT, 'examples', 'flexible');
  const backend = readFileSync(join(dir, 'partials', 'backend.json'), 'utf8');
  assert.ok(backend.endsWith('\n'), 'the example partial ends with a newline');
  assert.match(readFileSync(join(dir, 'templates', 'endpoint.tmpl'), 'utf8'), /include "backend\.json" \| trim/);
  const files = new Map<string, string>();
  for (const sub of ['settings', 'partials', 'templates']) for (const name of readdirSync(join(dir, sub))) files.set(`${sub}/${name}`, readFileSync(join(dir, sub, name), 'utf8'));
  files.set('partials/backend.json', backend.replace('"json"', '"jsonx"'));
  const r = checkFlexibleProject({
    mainPath: 'krakend.tmpl',
    mainText: readFileSync(join(dir, 'krakend.tmpl'), 'utf8'),
    options: { settings: 'settings', partials: 'partials', templates: 'templates' },
    readers: {
      listDir: (d) => [...files.keys()].filter((p) => p.startsWith(`${d}/`)).map((p) => p.slice(d.length + 1)),
      readFile: (p) => files.get(p),
      env: () => undefined,
      now: () => new Date(0),
    },
  });
  const errors = [...r.files].flatMap(([file, d]) => d.diagnostics.filter((x) => x.severity === 'error').map((x) => ({ file, line: x.range.start.line, character: x.range.start.character, code: String(x.code) })));
  assert.ok(errors.length > 0, 'the bad encoding is reported');
  const value = backend.indexOf('"json"');
  for (const e of errors) assert.deepEqual({ file: e.file, line: e.line, character: e.character }, { file: 'partials/backend.json', line: 0, character: value }, JSON.stringify(errors));
});
