// Problems from different stages about the same fault on the same value are reported once.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConfig } from '../../server/src/core/check';
import { lint } from '../../server/src/core/schema/lint';
import { SCHEMA_NAMES, checkWith, compileTestSchemas } from './support/schemas';
import type { TestSchemas } from './support/schemas';

let schemas: TestSchemas;

before(async () => {
  schemas = await compileTestSchemas();
});

void describe('one problem per fault across stages', () => {
  const text = `{
  "version": 3,
  "endpoints": [
    { "endpoint": "/a", "method": "get", "backend": [{ "url_pattern": "/a", "host": ["http://localhost:8081"] }] }
  ]
}`;
  const methodAt = { line: 3, character: text.split('\n')[3]!.indexOf('"get"') };

  for (const schemaName of SCHEMA_NAMES) {
    void test(`a lowercase method is reported once, as the schema's error (${schemaName})`, () => {
      const out = checkWith(text, 'krakend.json', schemas[schemaName]);
      const onMethod = out.diagnostics.filter((d) => d.range.start.line === methodAt.line && d.range.start.character === methodAt.character);
      assert.deepEqual(onMethod.map((d) => d.code), ['schema/enum']);
      assert.match(onMethod[0]!.message, /did you mean 'GET'/);
      assert.equal(out.errors, 1);
      assert.equal(out.warnings, 0);
    });
  }

  void test('without a schema the lowercase method still gets its warning', () => {
    const out = checkConfig({ text, format: 'json' });
    assert.deepEqual(out.diagnostics.map((d) => [d.code, d.range.start]), [['route/lowercase-method', methodAt]]);
  });
});

void describe('an endpoint without a backend key', () => {
  const json = `{
  "version": 3,
  "endpoints": [
    {
      "endpoint": "/a"
    }
  ]
}`;
  const yaml = `version: 3
endpoints:
  - endpoint: /a
    method: GET
`;
  for (const schemaName of SCHEMA_NAMES) {
    void test(`is one problem, KrakenD's, on the endpoint object (JSON, ${schemaName})`, () => {
      const out = checkWith(json, 'krakend.json', schemas[schemaName]);
      assert.deepEqual(out.diagnostics.map((d) => [d.code, d.range.start]), [['init/no-backends', { line: 3, character: 4 }]]);
      assert.match(out.diagnostics[0]!.message, /ignoring the ' \/a' endpoint, since it has 0 backends defined!/);
    });
    void test(`is one problem, KrakenD's, on the endpoint mapping (YAML, ${schemaName})`, () => {
      const out = checkConfig({ text: yaml, format: 'yaml', lint: (root) => lint(root, schemas[schemaName]) });
      assert.deepEqual(out.diagnostics.map((d) => [d.code, d.range.start]), [['init/no-backends', { line: 2, character: 4 }]]);
    });
  }
});

void describe('a list or object where KrakenD wants a scalar', () => {
  const text = `{
  "version": 3,
  "port": [8080],
  "listen_ip": { "ip": "127.0.0.1" }
}`;
  for (const schemaName of SCHEMA_NAMES) {
    void test(`is one problem, mapstructure's, on the key (${schemaName})`, () => {
      const out = checkWith(text, 'krakend.json', schemas[schemaName]);
      assert.deepEqual(
        out.diagnostics.map((d) => [d.code, d.range.start, d.range.end]),
        [
          ['decode/type', { line: 2, character: 2 }, { line: 2, character: 8 }],
          ['decode/type', { line: 3, character: 2 }, { line: 3, character: 13 }],
        ],
      );
      assert.match(out.diagnostics[0]!.message, /'port' expected type 'int', got unconvertible type '\[\]interface \{\}'/);
    });
  }
});

void describe('an endpoint without its leading slash', () => {
  const text = `{
  "version": 3,
  "endpoints": [
    { "endpoint": "v1/users", "backend": [{ "url_pattern": "/users", "host": ["http://localhost:8081"] }] }
  ]
}`;
  const at = { line: 3, character: text.split('\n')[3]!.indexOf('"v1/users"') };
  for (const schemaName of SCHEMA_NAMES) {
    void test(`is one problem, the schema's, saying what KrakenD does (${schemaName})`, () => {
      const out = checkWith(text, 'krakend.json', schemas[schemaName]);
      assert.deepEqual(out.diagnostics.map((d) => [d.code, d.range.start]), [['schema/pattern', at]]);
      assert.match(out.diagnostics[0]!.message, /start it with '\/' \(KrakenD serves it as '\/v1\/users', but the lint requires the slash\)/);
    });
  }
  void test('without a schema, the note stands alone', () => {
    const out = checkConfig({ text, format: 'json' });
    assert.deepEqual(out.diagnostics.map((d) => [d.code, d.range.start]), [['init/leading-slash', at]]);
  });
});

void describe('"backend": null', () => {
  const text = `{
  "version": 3,
  "endpoints": [
    { "endpoint": "/a", "backend": null }
  ]
}`;
  const at = { line: 3, character: text.split('\n')[3]!.indexOf('null') };
  for (const schemaName of SCHEMA_NAMES) {
    void test(`is one problem, KrakenD's, on the null (${schemaName})`, () => {
      const out = checkWith(text, 'krakend.json', schemas[schemaName]);
      assert.deepEqual(out.diagnostics.map((d) => [d.code, d.range.start]), [['init/no-backends', at]]);
    });
  }
});
