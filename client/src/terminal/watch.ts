/**
 * `krakend-live watch FILE`: the validated, zero-downtime `:watch` for the terminal. The same
 * GatewayController, plan and lifecycle as the extension run the gateway, the language server's
 * checker checks every change on disk first, and only a valid change reaches the gateway (blue/green
 * by default). This file only wires them to the terminal: arguments, the disk watcher, status lines
 * and signals.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { DEFAULT_GATEWAY_SETTINGS } from '../../../shared/settings';
import { formatText } from '../../../server/src/cli/format';
import { createSchemaResolver } from '../../../server/src/node/schemaResolver';
import { GatewayController } from '../gateway/controller';
import type { Logger } from '../gateway/controller';
import type { FaultKind, LifecycleState } from '../gateway/lifecycle';
import { colorStagingDir } from '../gateway/plan';
import type { GatewayPlan } from '../gateway/plan';
import { DiskWatcher } from './diskWatcher';
import type { WatchFolder } from './diskWatcher';
import { parseWatchArgs, WATCH_USAGE } from './watchArgs';
import type { WatchArgs } from './watchArgs';
import { checkOnDisk } from './watchCheck';
import type { WatchCheck } from './watchCheck';
import { statusLine } from './watchView';
import type { WatchEvent } from './watchView';

export interface WatchIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly platform: string;
  /** Quiet time after a change on disk before it is checked (default 100 ms). */
  readonly debounceMs?: number;
  /** Where the staging folders go (default: the user's cache folder). */
  readonly stagingRoot?: string;
  readonly watchFolder?: WatchFolder;
  /** Extra container labels (tests mark their run). */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

const DEFAULT_DEBOUNCE_MS = 100;

/** Start faults no edit of the configuration can fix: the command stops instead of waiting. */
const FATAL: ReadonlySet<FaultKind> = new Set(['dockerUnavailable', 'dockerPermission', 'portInUse', 'imageNotFound', 'registryUnreachable', 'plan', 'notOwned']);

function cacheRoot(env: WatchIo['env']): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'krakend-live');
}

function isServing(s: LifecycleState): boolean {
  return s.phase === 'healthy' || s.phase === 'unhealthy' || s.phase === 'reloading';
}

/**
 * Runs the watch until `stopRequested` settles; resolves with the exit status (0 after a clean
 * stop, 1 when the gateway cannot start for a reason no edit fixes, 2 when FILE cannot be read).
 */
export async function runWatch(args: WatchArgs, io: WatchIo, stopRequested: Promise<void>): Promise<number> {
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const shown = (p: string): string => relative(io.cwd, p) || p;
  const configPath = abs(args.file);
  const folder = dirname(configPath);
  const print = (e: WatchEvent): void => io.stdout(`${statusLine(e, new Date())}\n`);
  const verbose = (level: string) => (m: string): void => {
    if (args.verbose) io.stderr(`${level}: ${m}\n`);
  };
  // Failures get their own status line; warnings (a :watch image, a remote engine) are worth seeing.
  const log: Logger = { debug: verbose('debug'), info: verbose('info'), warn: (m) => io.stderr(`warning: ${m}\n`), error: verbose('error') };
  const cache = cacheRoot(io.env);
  const resolver = createSchemaResolver({ storagePath: join(cache, 'schemas'), log: verbose('schema') });
  const id = createHash('sha256').update(configPath).digest('hex').slice(0, 16);
  const stagingDir = join(io.stagingRoot ?? join(cache, 'watch'), id);
  let latest: WatchCheck | undefined;
  const settings = { ...DEFAULT_GATEWAY_SETTINGS, ...args.settings };
  const controller = new GatewayController({
    folder: { path: folder, name: basename(folder) },
    configPath,
    configRelativePath: basename(configPath),
    stagingDir,
    settings: () => settings,
    env: io.env,
    platform: io.platform,
    log,
    renderedConfig: () => Promise.resolve(latest?.rendered),
    ...(io.extraLabels ? { extraLabels: io.extraLabels } : {}),
  });
  const check = (): Promise<WatchCheck> => checkOnDisk(args.file, { resolver, cwd: io.cwd, env: io.env });
  const problems = (c: WatchCheck): void => {
    if (c.errors + c.warnings > 0) io.stdout(formatText(c.reports));
  };

  let stopping = false;
  let fatal: ((code: number) => void) | undefined;
  const fatalExit = new Promise<number>((r) => (fatal = r));
  /** Whether a change or a start is being handled; a state change meanwhile is that work's to report. */
  let busy = false;

  /** The line for a gateway that serves now: where, how, and the compose service it stands in for. */
  const started = (plan: GatewayPlan, ms: number): WatchEvent => ({
    kind: 'started',
    file: shown(configPath),
    url: `http://${plan.health.host}:${plan.health.port}`,
    image: plan.image.reference,
    reload: plan.reload,
    network: plan.compose ? plan.compose.networks.join(', ') : settings.network,
    ms,
    ...(plan.compose ? { standsInFor: { project: plan.compose.project, service: plan.compose.service } } : {}),
  });

  /** Starts the gateway on a passing check; says how it went. */
  const start = async (c: WatchCheck): Promise<void> => {
    await controller.checked({ ...c.result, trigger: 'request' }, c.text);
    const began = performance.now();
    controller.start();
    await controller.whenIdle();
    if (stopping) return;
    const s = controller.lifecycle;
    const plan = controller.currentPlan;
    if (isServing(s) && plan) {
      print(started(plan, performance.now() - began));
      return;
    }
    const fault = s.fault ?? { kind: 'unknown' as const, message: `the gateway is ${s.phase}.` };
    print({ kind: 'startFailed', file: shown(configPath), message: fault.message, logTail: fault.logTail ?? [], fatal: FATAL.has(fault.kind) });
    if (FATAL.has(fault.kind)) fatal?.(1);
  };

  const onChange = async (paths: readonly string[], firstSeenAt: number): Promise<void> => {
    const changed = paths.map(shown);
    let c: WatchCheck;
    try {
      c = await check();
    } catch (err) {
      // Mid-checkout, or deleted: the next change that brings it back is checked again.
      print({ kind: 'unreadable', file: shown(configPath), message: (err as NodeJS.ErrnoException).code ?? String(err), serving: isServing(controller.lifecycle) });
      watcher.follow({ files: new Set([configPath]), dirs: new Map() });
      return;
    }
    latest = c;
    watcher.follow(c.dependencies);
    if (stopping) return;
    problems(c);
    const s0 = controller.lifecycle;
    if (!c.ok) {
      await controller.checked({ ...c.result, trigger: 'save' });
      print({ kind: 'invalid', changed, errors: c.errors, serving: isServing(s0) });
      return;
    }
    if (s0.op === undefined && (s0.phase === 'stopped' || s0.phase === 'failed' || s0.phase === 'dockerUnavailable')) {
      await start(c);
      return;
    }
    const reloads = s0.reloads;
    await controller.checked({ ...c.result, trigger: 'save' }, c.text);
    await controller.whenIdle();
    if (stopping) return;
    const s = controller.lifecycle;
    const reload = controller.currentPlan?.reload ?? 'blueGreen';
    if (s.reloads > reloads) {
      print({ kind: 'reloaded', changed, totalMs: performance.now() - firstSeenAt, reloadMs: s.lastReload?.durationMs ?? 0, checkMs: c.durationMs, reload });
    } else if (s.configIssue === 'rejected') {
      print({ kind: 'rejected', changed, message: s.fault?.message ?? 'the new config did not start.', logTail: s.fault?.logTail ?? [], serving: isServing(s) });
    } else if (isServing(s) && !isServing(s0)) {
      // An exited gateway is started again by a valid change.
      const plan = controller.currentPlan;
      if (plan) print(started(plan, performance.now() - firstSeenAt));
    } else {
      print({ kind: 'down', message: s.fault?.message ?? `the gateway is ${s.phase}.`, logTail: s.fault?.logTail ?? [] });
    }
  };

  // Changes are handled one at a time, in order; those that arrive meanwhile are handled as one.
  let queued: { paths: Set<string>; at: number } | undefined;
  let work: Promise<void> = Promise.resolve();
  const drain = async (): Promise<void> => {
    while (queued && !stopping) {
      const { paths, at } = queued;
      queued = undefined;
      busy = true;
      try {
        await onChange([...paths].sort(), at);
      } catch (err) {
        io.stderr(`krakend-live: handling a change failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      } finally {
        busy = false;
      }
    }
  };
  const watcher = new DiskWatcher({
    debounceMs: io.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    onChange: (paths, at) => {
      const wasIdle = queued === undefined && !busy;
      queued ??= { paths: new Set(), at };
      for (const p of paths) queued.paths.add(p);
      if (wasIdle) work = work.then(drain);
    },
    onWarning: (m) => io.stderr(`warning: ${m}\n`),
    ...(io.watchFolder ? { watchFolder: io.watchFolder } : {}),
  });

  // A crash, or Docker going away, while no change is being handled.
  const subscription = controller.onDidChange((snap) => {
    const s = snap.state;
    if (busy || stopping || s.op !== undefined) return;
    if (s.phase === 'exited' || s.phase === 'failed' || s.phase === 'dockerUnavailable') {
      print({ kind: 'down', message: s.fault?.message ?? (s.exit ? `KrakenD exited with code ${s.exit.code}.` : `the gateway is ${s.phase}.`), logTail: s.fault?.logTail ?? s.exit?.logTail ?? [] });
    }
  });

  let code = 0;
  try {
    let first: WatchCheck;
    try {
      first = await check();
    } catch (err) {
      io.stderr(`${args.file}: cannot read: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    latest = first;
    watcher.follow(first.dependencies);
    io.stdout(`watching ${shown(configPath)}${first.dependencies.files.size > 1 ? ` and the ${first.dependencies.files.size - 1} file(s) its check read` : ''}; Ctrl-C stops\n`);
    problems(first);
    if (first.ok) {
      busy = true;
      work = start(first).finally(() => {
        busy = false;
      });
      await Promise.race([work, stopRequested, fatalExit]);
    } else {
      print({ kind: 'invalid', changed: [shown(configPath)], errors: first.errors, serving: false });
    }
    code = await Promise.race([stopRequested.then(() => 0), fatalExit]);
  } finally {
    stopping = true;
    watcher.dispose();
    subscription.dispose();
    controller.cancelWaits();
    controller.stop();
    await controller.whenIdle().catch((err: unknown) => io.stderr(`krakend-live: stopping the gateway failed: ${String(err)}\n`));
    await controller.removeContainer().catch((err: unknown) => io.stderr(`krakend-live: removing the gateway's containers failed: ${String(err)}\n`));
    controller.dispose();
    await resolver.idle?.();
    // Nothing adopts a terminal gateway later, so its staged copies go with it.
    await Promise.all([stagingDir, colorStagingDir(stagingDir, 'blue'), colorStagingDir(stagingDir, 'green')].map((d) => rm(d, { recursive: true, force: true })));
  }
  print({ kind: 'stopped' });
  return code;
}

/** The entry of `krakend-live watch …` (dist/cli.js hands over here). */
export async function watchMain(argv: readonly string[]): Promise<number> {
  const parsed = parseWatchArgs(argv);
  if ('help' in parsed) {
    process.stdout.write(`${parsed.help}\n`);
    return 0;
  }
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n${WATCH_USAGE}\n`);
    return 2;
  }
  let signals = 0;
  const stopRequested = new Promise<void>((resolveStop) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals === 1) {
        process.stderr.write(`\n${signal}: stopping the gateway…\n`);
        resolveStop();
      } else {
        // A second Ctrl-C: the user will not wait for the drain.
        process.stderr.write(`${signal} again: exiting without waiting; containers may be left (label dev.krakend-live.owned)\n`);
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return runWatch(parsed.args, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env, cwd: process.cwd(), platform: process.platform }, stopRequested);
}
