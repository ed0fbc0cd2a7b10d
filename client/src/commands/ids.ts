/** Every command id in one table; package.json `contributes.commands` lists the same ids (a unit test checks). */
import { TRY_ENDPOINT_COMMAND } from '../../../shared/protocol';

export const COMMAND = {
  startGateway: 'krakend.startGateway',
  stopGateway: 'krakend.stopGateway',
  restartGateway: 'krakend.restartGateway',
  showGatewayLogs: 'krakend.showGatewayLogs',
  checkConfiguration: 'krakend.checkConfiguration',
  showMenu: 'krakend.showMenu',
  showLogs: 'krakend.showLogs',
  showRenderedConfig: 'krakend.showRenderedConfig',
  /** Also named by the server's code lenses, hence the shared constant. */
  tryEndpoint: TRY_ENDPOINT_COMMAND,
} as const;

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];
