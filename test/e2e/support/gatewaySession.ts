/**
 * A session whose gateway really runs: the found KrakenD image, the default bridge network (or host
 * networking, the second variant), ports of its own
 * (so parallel suites and a developer's gateway on 8080 do not collide), the example backend on
 * its port, and every gateway container of the session removed however the session ends.
 */
import { join } from 'node:path';
import { requireComponent } from '../../support/env';
import { removeSessionContainers, removeSessionContainersSync, runningGateway } from './docker';
import { offlineSchemaSettings } from './example';
import { freePort, onAbnormalExit, startProcess, waitFor } from './processes';
import { artifactsDir } from './paths';
import { Session } from './session';
import type { SessionOptions } from './session';

export interface GatewaySession {
  readonly session: Session;
  /** Where the gateway listens (the config's port, rewritten by `prepareWorkspace`). */
  readonly gatewayPort: number;
  readonly backendPort: number;
  url(path: string): string;
}

export interface GatewaySessionOptions {
  readonly name: string;
  readonly example?: SessionOptions['example'];
  /** `krakend.gateway.network`: bridge (the default, as for users) or host. */
  readonly network?: 'bridge' | 'host';
  /** Settings on top of the gateway ones (the image, the network, bounded waits). */
  readonly settings?: Record<string, unknown>;
  /** Rewrites the workspace copy to use these ports. */
  readonly prepareWorkspace: (dir: string, ports: { readonly gateway: number; readonly backend: number }) => void;
}

export async function startGatewaySession(o: GatewaySessionOptions): Promise<GatewaySession> {
  requireComponent('docker');
  const { image } = requireComponent('krakend-images');
  const gatewayPort = await freePort();
  const backendPort = await freePort();
  const session = await Session.start({
    name: o.name,
    ...(o.example ? { example: o.example } : {}),
    settings: {
      ...offlineSchemaSettings(),
      'krakend.gateway.image': image,
      'krakend.gateway.network': o.network ?? 'bridge',
      'krakend.gateway.port': gatewayPort,
      'krakend.gateway.healthTimeout': 60,
      'krakend.gateway.gracePeriod': 2,
      ...o.settings,
    },
    prepareWorkspace: (dir) => o.prepareWorkspace(dir, { gateway: gatewayPort, backend: backendPort }),
  });
  const home = session.home;
  const unregister = onAbnormalExit(() => removeSessionContainersSync(home));
  session.onStop('remove the session\'s gateway containers', async () => {
    await removeSessionContainers(home);
    unregister();
  });
  const backend = startProcess('backend', process.execPath, [join(session.workspace, 'backend.mjs'), String(backendPort)], join(artifactsDir, `${o.name}.backend.log`));
  session.onStop('stop the example backend', () => backend.stop());
  await backend.waitForLine(/listening/, 15_000);
  await session.wb.waitReady();
  return { session, gatewayPort, backendPort, url: (path) => `http://127.0.0.1:${gatewayPort}${path}` };
}

/**
 * Stops the session, then removes its gateway containers once more: the session removes them
 * before code-server stops, and in that moment the extension's crash handling may start the
 * gateway again.
 */
export async function stopGatewaySession(g: GatewaySession | undefined): Promise<void> {
  if (!g) return;
  try {
    await g.session.stop();
  } finally {
    await removeSessionContainers(g.session.home);
  }
}

/** Waits for a running gateway that started after `previous` (a different `<id>@<StartedAt>`). */
export function restartedSince(home: string, previous: string): Promise<string> {
  return waitFor('the gateway container to (re)start', async () => {
    const now = await runningGateway(home);
    return now !== undefined && now !== previous ? now : undefined;
  }, 90_000);
}

/** Status bar wording (client/src/statusBar/view.ts) the gateway scenarios wait for. */
export const HEALTHY = /healthy/i;
export const SERVING_LAST_GOOD = /serving last good/i;
/** States that will not turn healthy by waiting. */
export const FAULT = /Docker unavailable|permission denied|port in use|image not found|registry unreachable|name taken|settings error|exited|crash loop/i;
