// Hostile clients of the operations port, for the bench: what a careless or malicious
// neighbour does to an HTTP endpoint. Run as its own process (attackers are not the load
// balancer's health checker):
//   attack.ts --port P --silent N --drippers N --scrapers N --duration-ms D
// prints {"silentConnected","silentCut","silentHeld","cutWithinMs","scrapes"} when done. All on 127.0.0.1.
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

/**
 * A running attack; `cutWithinMs` is the longest a silent connection lived (from its connect)
 * before the server cut it; `silentHeld`: attack connections open when it stopped.
 */
interface Attack {
  stop(): {
    silentConnected: number;
    silentCut: number;
    silentHeld: number;
    cutWithinMs: number;
    scrapes: number;
  };
}

/**
 * Holds `silent` connections that never send a byte (reopening each one the server cuts),
 * `drippers` connections sending a request head one byte every 500 ms, and `scrapers`
 * clients fetching /metrics back to back.
 */
function startAttack(
  port: number,
  options: { silent: number; drippers: number; scrapers: number },
): Attack {
  let stopped = false;
  const sockets = new Set<Socket>();
  let silentCut = 0;
  let silentConnected = 0;
  let cutWithinMs = 0;
  let scrapes = 0;

  const openSilent = (): void => {
    if (stopped) return;
    let opened = performance.now();
    const socket = connect({ host: '127.0.0.1', port });
    sockets.add(socket);
    socket.on('error', () => {});
    // Read (and drop) what comes, so the server's FIN is seen and 'close' follows at once.
    socket.resume();
    socket.once('connect', () => {
      silentConnected++;
      opened = performance.now(); // the server's deadline runs from here
    });
    socket.once('close', () => {
      sockets.delete(socket);
      if (stopped) return;
      silentCut++;
      cutWithinMs = Math.max(cutWithinMs, performance.now() - opened);
      setTimeout(openSilent, 10);
    });
  };
  for (let i = 0; i < options.silent; i++) openSilent();

  for (let i = 0; i < options.drippers; i++) {
    const open = (): void => {
      if (stopped) return;
      const socket = connect({ host: '127.0.0.1', port });
      sockets.add(socket);
      socket.on('error', () => {});
      socket.resume();
      socket.once('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: '));
      const drip = setInterval(() => {
        if (!socket.destroyed) socket.write('a');
      }, 500);
      socket.once('close', () => {
        clearInterval(drip);
        sockets.delete(socket);
        setTimeout(open, 10);
      });
    };
    open();
  }

  for (let i = 0; i < options.scrapers; i++) {
    const scrape = async (): Promise<void> => {
      while (!stopped) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
            signal: AbortSignal.timeout(5_000),
          });
          await res.text();
          scrapes++;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    void scrape();
  }

  return {
    stop() {
      stopped = true;
      const silentHeld = sockets.size;
      for (const socket of sockets) socket.destroy();
      return { silentConnected, silentCut, silentHeld, cutWithinMs, scrapes };
    },
  };
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    silent: { type: 'string', default: '250' },
    drippers: { type: 'string', default: '20' },
    scrapers: { type: 'string', default: '2' },
    'duration-ms': { type: 'string', default: '8000' },
  },
});
const attack = startAttack(Number(values.port), {
  silent: Number(values.silent),
  drippers: Number(values.drippers),
  scrapers: Number(values.scrapers),
});
await new Promise((resolve) => setTimeout(resolve, Number(values['duration-ms'])));
process.stdout.write(`${JSON.stringify({ event: 'done', ...attack.stop() })}\n`);
process.exit(0);
