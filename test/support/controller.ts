/**
 * A GatewayController as the integration tests build it: a folder of its own under the test's
 * root, a logger that keeps every line for failure messages, quick health polls, and the run's
 * test label on everything it creates (so removeTestResources finds it).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayController } from '../../client/src/gateway/controller';
import type { ControllerDeps, Logger } from '../../client/src/gateway/controller';
import { readTextFile } from '../../client/src/gateway/engine/nodeFs';
import { DEFAULT_GATEWAY_SETTINGS } from '../../shared/settings';
import type { GatewaySettings } from '../../shared/settings';
import { testLabels } from './docker';

/** A logger that keeps its lines (`level message`), to print when a test fails. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (m: string): void => {
    lines.push(`${level} ${m}`);
  };
  return { lines, debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
}

export interface TestGatewayOptions {
  /** The test's temp folder: the gateway's folder is `<root>/<name>`, its staging `<root>/<name>-staging`. */
  readonly root: string;
  readonly name: string;
  /** The test run id (newRunId), put on every container as the `test` label. */
  readonly run: string;
  /** Over the defaults (no krakend.docker.host: the engine comes from `env`, as for a user of contexts). */
  readonly settings: Partial<GatewaySettings>;
  readonly env?: Readonly<Record<string, string>>;
  readonly configFile?: string;
  readonly renderedConfig?: ControllerDeps['renderedConfig'];
}

export interface TestGateway {
  readonly ctrl: GatewayController;
  readonly log: Logger & { lines: string[] };
  readonly folder: string;
  readonly configPath: string;
  readonly stagingDir: string;
}

export function testGateway(o: TestGatewayOptions): TestGateway {
  const folder = join(o.root, o.name);
  mkdirSync(folder, { recursive: true });
  const configFile = o.configFile ?? 'krakend.json';
  const configPath = join(folder, configFile);
  const stagingDir = join(o.root, `${o.name}-staging`);
  const log = recordingLogger();
  const ctrl = new GatewayController({
    folder: { path: folder, name: o.name },
    configPath,
    configRelativePath: configFile,
    stagingDir,
    settings: () => ({ ...DEFAULT_GATEWAY_SETTINGS, gracePeriod: 10, healthTimeout: 30, dockerHost: '', ...o.settings }),
    env: o.env ?? {},
    platform: process.platform,
    readFile: readTextFile,
    log,
    healthIntervalMs: 50,
    extraLabels: testLabels(o.run),
    ...(o.renderedConfig ? { renderedConfig: o.renderedConfig } : {}),
  });
  return { ctrl, log, folder, configPath, stagingDir };
}
