/** "KrakenD: Stop Gateway": SIGTERM with the grace period; the container is kept for its logs. */
import type { GatewayCommandHost } from './gatewayCommon';
import { reportRefusal, requireTrust } from './gatewayCommon';

export async function stopGateway(host: GatewayCommandHost): Promise<void> {
  if (!(await requireTrust('Stop Gateway'))) return;
  const handle = await host.pickGateway('Stop the gateway of which folder?');
  if (!handle) return;
  reportRefusal(handle.controller.stop());
}
