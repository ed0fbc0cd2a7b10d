/**
 * Connections opened on the far side of an `ssh://` engine's connection (ssh's `direct-tcpip`,
 * what `ssh -L` uses): the health check of a gateway whose port is published on the engine's
 * machine reaches it from there, so 127.0.0.1 means the engine's loopback and the 127.0.0.1
 * default publishing keeps working on another machine (plan.ts `HealthTarget.via`). One ssh
 * connection, opened on first use with the engine's own options (agent, identities, host key
 * check: sshAuth.ts) and kept for the gateway's life; opened again after it drops.
 */
import { userInfo } from 'node:os';
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import type { DockerConnection } from '../plan';
import { sshConnectOptions } from './sshAuth';

type SshConnection = Extract<DockerConnection, { kind: 'ssh' }>;

export class SshForwarder {
  private client: Client | undefined;
  private ready: Promise<Client> | undefined;
  private disposed = false;

  constructor(readonly connection: SshConnection) {}

  private open(): Promise<Client> {
    if (this.ready) return this.ready;
    const c = this.connection;
    const client = new Client();
    let refusal: string | undefined;
    const ready = new Promise<Client>((resolve, reject) => {
      client.once('ready', () => resolve(client));
      client.once('error', (err: Error) => reject(new Error(refusal ?? `the ssh connection to ${c.description} failed: ${err.message}`)));
    });
    const forget = (): void => {
      if (this.client !== client) return;
      this.client = undefined;
      this.ready = undefined;
    };
    // A connection that failed or dropped is opened again by the next probe.
    client.on('close', forget);
    client.on('error', forget);
    ready.catch(forget);
    client.connect({
      host: c.host,
      port: c.port,
      username: c.username ?? userInfo().username,
      keepaliveInterval: 15_000,
      ...sshConnectOptions(c, (m) => {
        refusal = m;
      }),
    });
    this.client = client;
    this.ready = ready;
    return ready;
  }

  /** A TCP connection to host:port as seen from the engine's machine. */
  async connect(host: string, port: number): Promise<Duplex> {
    if (this.disposed) throw new Error(`the ssh connection to ${this.connection.description} was closed`);
    const client = await this.open();
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
        if (err) {
          // RFC 4254's reason 1, SSH_OPEN_ADMINISTRATIVELY_PROHIBITED: OpenSSH's answer when
          // AllowTcpForwarding is off (its text is only "open failed").
          const prohibited = (err as Error & { reason?: unknown }).reason === 1;
          reject(new Error(`${this.connection.description} did not open ${host}:${port} on its side (${err.message})${prohibited ? '; its sshd_config must allow it (AllowTcpForwarding local or yes)' : ''}`));
        } else resolve(channel);
      });
    });
  }

  dispose(): void {
    this.disposed = true;
    this.client?.end();
    this.client = undefined;
    this.ready = undefined;
  }
}
