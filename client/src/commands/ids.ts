/** Every command id in one table; package.json `contributes.commands` lists the same ids (a unit test checks). */
export const COMMAND = {
  startGateway: 'krakend.startGateway',
  stopGateway: 'krakend.stopGateway',
  restartGateway: 'krakend.restartGateway',
  showGatewayLogs: 'krakend.showGatewayLogs',
  checkConfiguration: 'krakend.checkConfiguration',
  showMenu: 'krakend.showMenu',
  showLogs: 'krakend.showLogs',
} as const;

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];
