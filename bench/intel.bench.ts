// Completion latency on a 1,000-endpoint configuration (target: p95 < 50 ms), and hover.
//
// 1. The core alone (core/intel complete()), as the server runs it on each request: the text is
//    read again every time (a keystroke makes a new document version), with the official v2.13
//    schema, at five places: a half-typed namespace in the middle of the file (broken JSON), a
//    property name in the last backend, a method value, duration units, and a namespace near
//    the end of the same configuration in YAML.
// 2. The full request in process over JSON-RPC (lsp/support/harness.ts): didChange with the
//    edit, then textDocument/completion, until the answer arrives. This is what the editor waits.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { CompletionList } from 'vscode-languageserver-protocol/node';
import { complete } from '../server/src/core/intel/completion';
import { hoverAt } from '../server/src/core/intel/hover';
import { parseJsonLoose } from '../server/src/core/intel/looseJson';
import { SchemaIndex } from '../server/src/core/intel/schemaNav';
import { LineIndex } from '../server/src/core/positions';
import { officialSchemaUrl } from '../server/src/core/schema/url';
import { createSchemaResolver } from '../server/src/node/schemaResolver';
import { SchemaStore } from '../server/src/node/schemaStore';
import { TEST_SETTINGS, startHarness } from '../test/lsp/support/harness';
import { generateConfig, percentile, time } from './support/generate';

const ENDPOINTS = 1000;
const upstream = resolve('..', 'shared', 'reference', 'krakend-schema', 'v2.13', 'krakend.json');
const bundled = resolve('schemas', 'krakend.json');
const schemaFile = existsSync(upstream) ? upstream : bundled;
const schemaUrl = existsSync(upstream) ? 'https://www.krakend.io/schema/v2.13/krakend.json' : 'https://krakend-live.dev/schema/krakend.json';

function ms(v: number): string {
  return v.toFixed(2);
}

/** Inserts `insert` right after the n-th occurrence of `anchor`, and returns the text and the cursor. */
function edit(text: string, anchor: string, nth: number, insert: string, cursorBack = 0): { text: string; offset: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(anchor, at + 1);
  if (at < 0) throw new Error(`anchor ${anchor} #${nth} not found`);
  const pos = at + anchor.length;
  return { text: text.slice(0, pos) + insert + text.slice(pos), offset: pos + insert.length - cursorBack };
}

async function main(): Promise<void> {
  const json = generateConfig(ENDPOINTS);
  const yaml = stringify(JSON.parse(json) as unknown);
  const index = new SchemaIndex({ url: schemaUrl, root: JSON.parse(readFileSync(schemaFile, 'utf8')) as object, refs: new Map() });
  console.log(`schema: ${schemaFile === upstream ? 'official v2.13 (reference copy)' : 'bundled'}; ${ENDPOINTS} endpoints, JSON ${json.length.toLocaleString('en')} bytes, YAML ${yaml.length.toLocaleString('en')} bytes`);

  const cases = [
    // Occurrences of `"extra_config": {`: the root's, then each endpoint's and its backend's.
    { name: 'namespace, half-typed `"qos/` (broken JSON), backend of endpoint 500', format: 'json' as const, ...edit(json, '"extra_config": {', 2 + 2 * 500, '\n "qos/', 0), expect: 'qos/ratelimit/proxy' },
    { name: 'property name in the last backend', format: 'json' as const, ...edit(json, '"encoding": "json",', ENDPOINTS - 1, '\n "', 0), expect: 'method' },
    { name: 'method value, endpoint 999', format: 'json' as const, ...edit(json, '"method": "', ENDPOINTS - 1, '', 0), expect: 'GET' },
    { name: 'duration units after "30", endpoint 700', format: 'json' as const, ...edit(json, '"timeout": "', 700, '30', 0), expect: '30s' },
    // `    extra_config:\n` matches each endpoint's and (indented deeper) its backend's.
    { name: 'namespace `qos/` on its own line (YAML), backend of endpoint 990', format: 'yaml' as const, ...edit(yaml, '    extra_config:\n', 990 * 2 + 1, '          qos/\n', 1), expect: 'qos/ratelimit/proxy' },
  ];

  console.log('\ncore: complete() on a freshly read text (p50 / p95 ms, 60 runs)');
  console.log('| where | p50 ms | p95 ms | entries |');
  console.log('| --- | --- | --- | --- |');
  for (const c of cases) {
    let count = 0;
    const samples = time(() => {
      const entries = complete({ text: c.text, format: c.format, offset: c.offset, schema: index });
      count = entries.length;
      if (!entries.some((e) => e.label === c.expect)) throw new Error(`${c.name}: ${c.expect} not offered`);
    }, 60);
    console.log(`| ${c.name} | ${ms(percentile(samples, 50))} | ${ms(percentile(samples, 95))} | ${count} |`);
  }

  const hoverText = edit(json, '"endpoint": "/api/v1/resource', 500, '', 0);
  const hoverSamples = time(() => hoverAt({ text: hoverText.text, format: 'json', offset: hoverText.offset, schema: index, tree: parseJsonLoose(hoverText.text) }), 30);
  console.log(`\ncore: route hover on endpoint 500 (decodes all 1,000 endpoints): p50 ${ms(percentile(hoverSamples, 50))} ms, p95 ${ms(percentile(hoverSamples, 95))} ms`);

  // The full request over JSON-RPC, the schema chosen by the same resolver the check uses: what
  // a user has after the first download, the official v2.13 schema in the extension's cache,
  // found through the config's $schema (as bench/check.bench.ts sets it up).
  const storageDir = join(mkdtempSync(join(tmpdir(), 'krakend-live-bench-intel-')), 'schemas');
  if (schemaFile === upstream) {
    mkdirSync(storageDir, { recursive: true });
    copyFileSync(upstream, new SchemaStore({ storageDir }).cachePath(officialSchemaUrl('2.13')));
  }
  const resolver = createSchemaResolver({ storagePath: storageDir, log: () => undefined });
  const h = await startHarness({ resolver, settings: TEST_SETTINGS });
  try {
    console.log('\nLSP in process: didChange + textDocument/completion round trip (p50 / p95 ms, 40 runs)');
    console.log('| where | p50 ms | p95 ms |');
    console.log('| --- | --- | --- |');
    let version = 1;
    for (const c of cases) {
      const uri = `file:///work/project/krakend-bench.${c.format === 'yaml' ? 'yaml' : 'json'}`;
      const opened = h.nextCheckResult(uri, () => true, 60_000);
      await h.open(uri, c.text, version++);
      await opened;
      const position = new LineIndex(c.text).positionAt(c.offset);
      const samples: number[] = [];
      for (let i = 0; i < 45; i++) {
        // A new version each time, as typing makes: nothing derived from the text is reused.
        const text = i % 2 === 0 ? c.text : `${c.text} `;
        const t = performance.now();
        await h.change(uri, text, version++);
        const r = (await h.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as CompletionList;
        const dt = performance.now() - t;
        if (!r.items.some((it) => it.label === c.expect)) throw new Error(`${c.name}: ${c.expect} not offered over LSP`);
        if (i >= 5) samples.push(dt);
      }
      await h.close(uri);
      console.log(`| ${c.name} | ${ms(percentile(samples, 50))} | ${ms(percentile(samples, 95))} |`);
    }
    const uri = 'file:///work/project/krakend-hover.json';
    await h.open(uri, hoverText.text, version++);
    const pos = new LineIndex(hoverText.text).positionAt(hoverText.offset);
    const hs: number[] = [];
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      await h.change(uri, i % 2 ? `${hoverText.text} ` : hoverText.text, version++);
      await h.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: pos });
      if (i >= 5) hs.push(performance.now() - t);
    }
    console.log(`\nLSP in process: route hover round trip on endpoint 500: p50 ${ms(percentile(hs, 50))} ms, p95 ${ms(percentile(hs, 95))} ms`);
  } finally {
    h.dispose();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
