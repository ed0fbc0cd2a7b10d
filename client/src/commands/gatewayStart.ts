/** "KrakenD: Start Gateway": check the config, stage it, start the container. */
import type { GatewayCommandHost } from './gatewayCommon';
import { checkBeforeGateway, reportRefusal, requireTrust } from './gatewayCommon';

export async function startGateway(host: GatewayCommandHost): Promise<void> {
  if (!(await requireTrust('Start Gateway'))) return;
  const handle = await host.pickGateway('Start the gateway of which folder?');
  if (!handle) return;
  if (!(await checkBeforeGateway(host, handle, 'Start Gateway'))) return;
  reportRefusal(handle.controller.start());
}
