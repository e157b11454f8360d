// Baseline for the round-trip benchmark: the naive way to serve the protocol in Node —
// one readline interface per socket, string splitting per line, one write per reply.
// Same session state machine as ours, so the comparison measures the transport only.
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { GuessSession } from '../dist/index.js';

/** Starts the naive server; resolves with { port, close }. */
export async function startNaiveServer(strategy = 'random') {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    const session = new GuessSession({ strategy });
    const lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      for (const reply of session.handle(line)) socket.write(`${reply}\n`);
    });
  });
  await new Promise((resolve) =>
    server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, resolve),
  );
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}
