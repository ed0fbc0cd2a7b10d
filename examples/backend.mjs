// A tiny JSON backend for the example gateway: `node examples/backend.mjs [port]` (default 8081).
// It listens on 127.0.0.1 only, so nothing is exposed to the network.
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

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://backend').pathname;
  if (path === '/greeting') return send(res, 200, { message: 'Hello from the example backend' });
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user) {
    const found = users.get(user[1]);
    return found ? send(res, 200, found) : send(res, 404, { error: 'no such user' });
  }
  return send(res, 404, { error: 'not found', path });
});

server.listen(port, '127.0.0.1', () => {
  // Scripts wait for this line before they rely on the backend.
  console.log(`example backend listening on http://127.0.0.1:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
