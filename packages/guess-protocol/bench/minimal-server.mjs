// Reference ceiling for the round-trip benchmark, not a protocol server: the least work a
// Node server can do per round trip. It does not parse at all; it answers every chunk it
// reads with one preformatted guess, cycling through 1..upper on each connection, so the
// load generator's games still end (after ~upper/2 guesses, like `random`). What is left
// is Node's own cost of one read and one write per round trip.
import { createServer } from 'node:net';

/** Starts the minimal server; resolves with { port, close }. */
export async function startMinimalServer(upper = 100) {
  const replies = Array.from({ length: upper + 1 }, (_, n) => Buffer.from(`${n}\n`));
  const sockets = new Set();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let guess = 0;
    socket.on('data', () => {
      guess = guess === upper ? 1 : guess + 1;
      socket.write(replies[guess]);
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
