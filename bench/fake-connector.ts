import { createServer } from 'node:http';

/**
 * The Bot Connector for `npm run bench:http`, on loopback: takes every reply either bot posts and
 * answers as the real one does. GET /count says how many messages it has taken (to check that each
 * request really was answered); DELETE /count starts again.
 */
let messages = 0;
const server = createServer((request, response) => {
  if (request.url === '/count') {
    if (request.method === 'DELETE') messages = 0;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ messages }));
    return;
  }
  request.resume();
  request.on('end', () => {
    messages += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`{"id":"reply-${messages}"}`);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify(server.address())}\n`);
});
process.on('SIGTERM', () => process.exit(0));
