// A benchmark server in its own process (so the load generator has the other core and
// each side has its own file descriptors): `node server-child.mjs ours|naive|minimal [strategy]`.
// Prints "PORT <n>" when listening; exits when stdin closes or on SIGTERM.
import { createGuessServer } from '../dist/index.js';
import { startMinimalServer } from './minimal-server.mjs';
import { startNaiveServer } from './naive-server.mjs';

const [kind = 'ours', strategy = 'random'] = process.argv.slice(2);

/** Prints the port and the CPU time spent so far (startup), for the bench to subtract. */
function announce(port) {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`PORT ${port} CPU ${user + system}\n`);
}
let close;
if (kind === 'naive' || kind === 'minimal') {
  const other = kind === 'naive' ? await startNaiveServer(strategy) : await startMinimalServer();
  close = other.close;
  announce(other.port);
} else {
  const server = createGuessServer({ strategy, maxConnections: 19_000, idleTimeoutMs: 120_000 });
  const { port } = await server.listen();
  close = () => server.close({ drainTimeoutMs: 0 });
  announce(port);
}
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await close();
  // Report this process's CPU time so the bench can compare cost per round trip.
  const { user, system } = process.cpuUsage();
  process.stdout.write(`CPU ${user + system}\n`, () => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
