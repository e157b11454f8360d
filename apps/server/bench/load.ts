// The load generator, run in its own process so it does not share an event loop (or a
// core's worth of CPU time slices) with the server it measures. Prints one JSON line.
import { parseArgs } from 'node:util';
import { runLoad } from '@fanout/guess-protocol';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    sessions: { type: 'string' },
    games: { type: 'string' },
    upper: { type: 'string', default: '100' },
  },
});

const result = await runLoad({
  host: '127.0.0.1',
  port: Number(values.port),
  sessions: Number(values.sessions),
  games: Number(values.games),
  lower: 1,
  upper: Number(values.upper),
  timeoutMs: 60_000,
});
process.stdout.write(`${JSON.stringify(result)}\n`);
