// The renderer's source map and notes: where each piece of the output came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RenderInput, RenderSuccess } from '../../server/src/core/template/render';
import { render } from '../../server/src/core/template/render';

interface Where {
  readonly container: object;
  readonly key: string | number;
  readonly isKey: boolean;
}

function ok(input: Partial<RenderInput<Where>> & { text: string }): RenderSuccess<Where> {
  const r = render<Where>({
    main: { name: 'krakend.tmpl', text: input.text },
    templates: input.templates ?? [],
    data: input.data,
    readPartial: input.readPartial ?? (() => undefined),
    env: () => undefined,
    now: () => new Date(0),
    locate: (container, key, isKey) => ({ container, key, isKey }),
  });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r;
}

void test('template text maps 1:1 into its file, also through trim markers and other templates', () => {
  const text = 'ab  {{- "X" -}}  cd{{ template "t.tmpl" }}';
  const r = ok({ text, templates: [{ name: 't.tmpl', text: 'tt' }] });
  assert.equal(r.output, 'abXcdtt');
  assert.deepEqual(r.map.at(1), { kind: 'text', file: 'krakend.tmpl', offset: 1 });
  assert.deepEqual(r.map.at(3), { kind: 'text', file: 'krakend.tmpl', offset: text.indexOf('cd') });
  assert.deepEqual(r.map.at(6), { kind: 'text', file: 't.tmpl', offset: 1 });
});

void test('a printed value maps to its action, with the snippet and, for data, the origin', () => {
  const data = { service: { port: '80a' }, list: ['x', 'y'] };
  const text = '{"port": {{ .service.port }}, "lit": {{ "lit" | upper }}, "e": "{{ range .list }}{{ . }}{{ end }}"}';
  const r = ok({ text, data });
  const at = r.map.at(r.output.indexOf('80a'));
  assert.equal(at?.kind, 'action');
  if (at?.kind !== 'action') return;
  assert.deepEqual(at.span, { file: 'krakend.tmpl', offset: text.indexOf('{{ .service'), length: '{{ .service.port }}'.length });
  assert.equal(at.snippet, '80a');
  assert.equal(at.expression, '.service.port');
  assert.deepEqual(at.origin, { container: data.service, key: 'port', isKey: false });
  const lit = r.map.at(r.output.indexOf('LIT'));
  assert.ok(lit?.kind === 'action' && lit.origin === undefined && lit.snippet === 'LIT');
  // Through range, dot is the element: its origin is the list and the index.
  const y = r.map.at(r.output.indexOf('y'));
  assert.ok(y?.kind === 'action');
  if (y?.kind === 'action') assert.deepEqual(y.origin, { container: data.list, key: 1, isKey: false });
});

void test('identity functions keep the origin; others do not', () => {
  const data = { a: { v: 'value', empty: '' } };
  const r = ok({ text: '{{ .a.v | default "d" }}|{{ default "d" .a.empty }}|{{ .a.v | upper }}|{{ index .a "v" }}|{{ get .a "v" }}', data });
  const parts = r.output.split('|');
  let at = 0;
  const origins = parts.map((p) => {
    const m = r.map.at(at);
    at += p.length + 1;
    return m?.kind === 'action' ? m.origin?.key : undefined;
  });
  assert.deepEqual(origins, ['v', undefined, undefined, 'v', 'v']);
});

void test('marshal of data maps every value and key of the JSON back to its data', () => {
  const data = { extra: { router: { return_error_msg: true }, list: [1, 'two'] } };
  const r = ok({ text: '{{ marshal .extra }}', data });
  assert.equal(r.output, '{"list":[1,"two"],"router":{"return_error_msg":true}}');
  const m = (needle: string) => {
    const loc = r.map.at(r.output.indexOf(needle));
    return loc?.kind === 'action' ? loc.origin : undefined;
  };
  assert.deepEqual(m('"two"'), { container: data.extra.list, key: 1, isKey: false });
  assert.deepEqual(m('true'), { container: data.extra.router, key: 'return_error_msg', isKey: false });
  assert.deepEqual(m('"router"'), { container: data.extra, key: 'router', isKey: true });
  // The braces of the whole value belong to the value itself.
  assert.deepEqual(m('{"list"'), { container: data, key: 'extra', isKey: false });
});

void test('an included partial maps 1:1 into the partial; a missing one is a note', () => {
  const text = 'a{{ include "p.json" }}b{{ include "nope.json" }}c';
  const r = ok({ text, readPartial: (p) => (p === 'p.json' ? 'PARTIAL' : undefined) });
  assert.equal(r.output, 'aPARTIALbc');
  assert.deepEqual(r.map.at(3), { kind: 'partial', path: 'p.json', offset: 2 });
  assert.deepEqual(r.notes, [{ kind: 'missing-partial', path: 'nope.json', span: { file: 'krakend.tmpl', offset: text.indexOf('include "nope'), length: 'include "nope.json"'.length } }]);
});

void test('<no value> is a note at the action, once per action even in a range', () => {
  const text = '{{ range .l }}{{ .missing }}{{ end }} {{ .top.nope }}';
  const r = ok({ text, data: { l: [{}, {}], top: {} } });
  assert.equal(r.output, '<no value><no value> <no value>');
  assert.deepEqual(
    r.notes.map((n) => (n.kind === 'no-value' ? [n.span.offset, n.span.length, n.expression] : [])),
    [
      [text.indexOf('{{ .missing'), '{{ .missing }}'.length, '.missing'],
      [text.indexOf('{{ .top'), '{{ .top.nope }}'.length, '.top.nope'],
    ],
  );
});

void test("errors carry Go's byte columns in the message and UTF-16 offsets in the span", () => {
  const text = 'é😀 {{ .a.b }}';
  const r = render({ main: { name: 'krakend.tmpl', text }, templates: [], data: { a: 'x' }, readPartial: () => undefined, env: () => undefined, now: () => new Date(0) });
  assert.ok(!r.ok);
  if (r.ok) return;
  // é is 2 bytes and 😀 4: Go puts the chain .a.b at its last field, byte column 12; the span
  // covers the whole chain, from UTF-16 offset 7.
  assert.equal(r.message, 'template: krakend.tmpl:1:12: executing "krakend.tmpl" at <.a.b>: can\'t evaluate field b in type interface {}');
  assert.equal(r.offset, text.indexOf('.a.b'));
  assert.equal(r.length, 4);
  assert.equal(r.kind, 'exec');
});
