// A tiny JSON backend for the example gateway: `node examples/backend.mjs [port]` (default 8081).
// The gateway runs in a container and calls it as http://host.docker.internal:8081. Docker Desktop
// brings that name to the host's loopback; a Linux engine to the bridge's gateway address on the
// host (docker0). So the backend listens on 127.0.0.1 and, when there is one, on docker0's address:
// reachable from the gateway containers and from this machine, never from the network.
// BACKEND_HOST=<address> listens there instead of docker0 (a custom bridge, say).
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? process.env.BACKEND_PORT ?? 8081);
const users = new Map([
  ['1', { id: 1, name: 'Ada Lovelace' }],
  ['2', { id: 2, name: 'Alan Turing' }],
]);

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function handle(req, res) {
  const path = new URL(req.url ?? '/', 'http://backend').pathname;
  if (path === '/greeting') return send(res, 200, { message: 'Hello from the example backend' });
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user) {
    const found = users.get(user[1]);
    return found ? send(res, 200, found) : send(res, 404, { error: 'no such user' });
  }
  return send(res, 404, { error: 'not found', path });
}

/** docker0's IPv4 address. Asked of `ip`, because Node lists no interface that is down, as docker0 is until a container runs. */
function dockerBridge() {
  if (process.platform !== 'linux') return undefined;
  try {
    return /inet (\d+\.\d+\.\d+\.\d+)/.exec(execFileSync('ip', ['-4', '-o', 'addr', 'show', 'dev', 'docker0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1];
  } catch {
    return undefined;
  }
}

const bridge = process.env.BACKEND_HOST || dockerBridge();
const hosts = [...new Set(['127.0.0.1', ...(bridge ? [bridge] : [])])];
const servers = hosts.map((host) => createServer(handle));
await Promise.all(servers.map((s, i) => new Promise((resolve, reject) => s.once('error', reject).listen(port, hosts[i], resolve))));
// Scripts wait for this line before they rely on the backend.
console.log(`example backend listening on ${hosts.map((h) => `http://${h}:${port}`).join(' and ')}`);

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))).then(() => process.exit(0)));
