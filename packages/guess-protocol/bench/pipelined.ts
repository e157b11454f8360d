// Pipelined traffic: each connection sends `depth` NUMBER lines per write and waits for all
// the replies before the next burst. Request/response games make one write per round trip
// on any server; bursts show what the per-line cost of the transport is.
import { connect, type Socket } from 'node:net';

export interface PipelinedResult {
  readonly lines: number;
  readonly seconds: number;
  readonly linesPerSecond: number;
}

export async function runPipelined(
  port: number,
  connections: number,
  depth: number,
  bursts: number,
): Promise<PipelinedResult> {
  const burst = Buffer.from('NUMBER\n'.repeat(depth));
  const sockets: Socket[] = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port, noDelay: true });
          socket.once('error', reject);
          socket.once('connect', () => resolve(socket));
        }),
    ),
  );
  const started = performance.now();
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve, reject) => {
          let pending = depth;
          let left = bursts;
          socket.on('error', reject);
          socket.on('data', (chunk: Buffer) => {
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) pending--;
            if (pending > 0) return;
            if (--left === 0) {
              socket.destroy();
              resolve();
              return;
            }
            pending = depth;
            socket.write(burst);
          });
          socket.write(`PARAMS 1 1000000000\n`);
          socket.write(burst);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const lines = connections * depth * bursts;
  return { lines, seconds, linesPerSecond: lines / seconds };
}
