/** "KrakenD: Start Gateway": check the config, stage it, start the container. */
import type { GatewayCommandHost } from './gatewayCommon';
import { checkBeforeGateway, reportRefusal, requireTrust } from './gatewayCommon';

export async function startGateway(host: GatewayCommandHost): Promise<void> {
  if (!(await requireTrust('Start Gateway'))) return;
  const handle = await host.pickGateway('Start the gateway of which folder?');
  if (!handle) return;
  // The status says "checking" at once: a retry must not keep showing the last fault meanwhile.
  handle.controller.startChecking(true);
  const checked = await checkBeforeGateway(host, handle, 'Start Gateway', (ok) => {
    if (!ok) handle.controller.startChecking(false);
  });
  if (checked) reportRefusal(handle.controller.start());
  else handle.controller.startChecking(false);
}
