/** "KrakenD: Restart Gateway": refuses an invalid config (with "Show Problems"), else reloads gracefully. */
import type { GatewayCommandHost } from './gatewayCommon';
import { checkBeforeGateway, reportRefusal, requireTrust } from './gatewayCommon';

export async function restartGateway(host: GatewayCommandHost): Promise<void> {
  if (!(await requireTrust('Restart Gateway'))) return;
  const handle = await host.pickGateway('Restart the gateway of which folder?');
  if (!handle) return;
  if (!(await checkBeforeGateway(host, handle, 'Restart Gateway'))) return;
  reportRefusal(handle.controller.restart());
}
