// The checker's speed: a full check (parse, decode, Init, schema lint, routes) per size, as a
// ratio to plain JSON.parse; time to first diagnostics from a cold dist/server.js; the
// server's peak memory; and the real `krakend check` on the same files when it can be had.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigurationRequest, DidOpenTextDocumentNotification, InitializeRequest, InitializedNotification } from 'vscode-languageserver-protocol/node';
import { spawnStdioServer } from '../test/lsp/support/stdio';
import { DEFAULT_SERVER_SETTINGS } from '../shared/settings';
import { checkText } from '../server/src/node/checker';
import { benchCanRun } from '../test/support/env';
import { krakendCli } from '../test/support/krakend';
import { SIZES, generateConfig, percentile, time } from './support/generate';
import { benchSchema, upstream } from './support/schema';

const dir = mkdtempSync(join(tmpdir(), 'krakend-live-bench-'));

async function checkSpeed(): Promise<void> {
  const { resolver, settings } = benchSchema(dir);
  console.log('| endpoints | bytes | JSON.parse p50 ms | check p50 ms | check p95 ms | p50 ratio to JSON.parse | errors |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const n of SIZES) {
    const text = generateConfig(n);
    const runs = n >= 1000 ? 30 : 100;
    const parse = time(() => JSON.parse(text), runs);
    // warm-up (compiles the schema once)
    for (let i = 0; i < 5; i++) await checkText(text, 'krakend.json', resolver, settings);
    const samples: number[] = [];
    let errors = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = await checkText(text, 'krakend.json', resolver, settings);
      samples.push(performance.now() - t);
      errors = r.output.errors;
    }
    const p50 = percentile(samples, 50);
    const jp50 = percentile(parse, 50);
    console.log(`| ${n} | ${text.length} | ${jp50.toFixed(2)} | ${p50.toFixed(2)} | ${percentile(samples, 95).toFixed(2)} | ${(p50 / jp50).toFixed(1)}× | ${errors} |`);
  }
}

/** Spawns dist/server.js, opens a 1,000-endpoint config, and waits for its diagnostics. */
async function firstDiagnostics(n: number): Promise<{ ms: number; peakRssMb: number }> {
  const file = join(dir, `krakend-${n}.json`);
  writeFileSync(file, generateConfig(n));
  const started = performance.now();
  const server = spawnStdioServer();
  try {
    const uri = pathToFileURL(file).toString();
    const published = server.diagnosticsFor(uri, 30_000);
    // Benchmarks talk to loopback only: no schema downloads; the bundled schema is used.
    const offline = { ...DEFAULT_SERVER_SETTINGS, schema: { ...DEFAULT_SERVER_SETTINGS.schema, download: false } };
    server.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => offline));
    await server.connection.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: pathToFileURL(dir).toString(),
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { storagePath: join(dir, 'server-schemas') },
    });
    await server.connection.sendNotification(InitializedNotification.type, {});
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text: readFileSync(file, 'utf8') } });
    await published;
    const ms = performance.now() - started;
    const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    return { ms, peakRssMb: hwm ? Number(hwm[1]) / 1024 : NaN };
  } finally {
    server.dispose();
  }
}

function realKrakend(): void {
  console.log('');
  if (!benchCanRun('real krakend check', ['krakend'])) return;
  const k = krakendCli();
  console.log(`\nKrakenD ${k.version}: ${k.description}`);
  console.log('\n| endpoints | krakend check -c ms | krakend check -c -s ms |');
  console.log('| --- | --- | --- |');
  for (const n of SIZES) {
    const file = join(dir, `krakend-${n}.json`);
    writeFileSync(file, generateConfig(n));
    const once = (args: string[]) => {
      const t = performance.now();
      const c = k.command(['check', '-c', file, ...args], { cwd: dir, mounts: [dirname(upstream)] });
      spawnSync(c.file, c.args, { env: c.env, stdio: 'ignore' });
      return performance.now() - t;
    };
    const plain = [once([]), once([]), once([])];
    const lint = [once(['-s', upstream]), once(['-s', upstream]), once(['-s', upstream])];
    console.log(`| ${n} | ${percentile(plain, 50).toFixed(0)} | ${percentile(lint, 50).toFixed(0)} |`);
  }
}

async function main(): Promise<void> {
  await checkSpeed();
  const cold = await firstDiagnostics(1000);
  console.log(`\ntime to first diagnostics after server start (1,000 endpoints, cold process): ${cold.ms.toFixed(0)} ms; server peak RSS ${cold.peakRssMb.toFixed(0)} MB`);
  const big = await firstDiagnostics(5000);
  console.log(`time to first diagnostics after server start (5,000 endpoints, cold process): ${big.ms.toFixed(0)} ms; server peak RSS ${big.peakRssMb.toFixed(0)} MB`);
  realKrakend();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
