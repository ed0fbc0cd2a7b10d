/** "KrakenD: Show Gateway Logs": follows the container's stdout/stderr in the "KrakenD Gateway" channel. */
import type { GatewayCommandHost } from './gatewayCommon';
import { requireTrust, showError } from './gatewayCommon';

export async function showGatewayLogs(host: GatewayCommandHost): Promise<void> {
  if (!(await requireTrust('Show Gateway Logs'))) return;
  const handle = await host.pickGateway('Show the gateway logs of which folder?');
  if (!handle) return;
  try {
    await host.showContainerLogs(handle);
  } catch (err) {
    await showError(host.log, `Show Gateway Logs: ${err instanceof Error ? err.message : String(err)}`);
  }
}
