// The bench's load generators, each run in its own process so that neither shares an event
// loop (or a core's time slices) with the server it measures. Prints JSON lines.
//   load.ts busy  --port P --sessions N --upper U --duration-ms D
//       N sessions playing games back to back (closed loop) for D ms; prints
//       {"event":"connected"} once all are connected, then {"event":"done","result":…}.
//   load.ts new   --port P --burst B --rate R --duration-ms D --upper U
//       B new connections at once, then R new games a second for D ms (open loop), each
//       latency counted from its due time; prints {"event":"done","burst":…,"open":…}.
import { parseArgs } from 'node:util';
import { runLoad, runOpenLoad } from '@fanout/guess-protocol';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    sessions: { type: 'string', default: '10000' },
    upper: { type: 'string', default: '100' },
    'duration-ms': { type: 'string', default: '20000' },
    burst: { type: 'string', default: '300' },
    rate: { type: 'string', default: '20' },
  },
});
const port = Number(values.port);
const upper = Number(values.upper);
const durationMs = Number(values['duration-ms']);
const print = (value: object): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

if (positionals[0] === 'busy') {
  const sessions = Number(values.sessions);
  let announced = false;
  const result = await runLoad({
    port,
    sessions,
    games: 1_000_000_000,
    durationMs,
    lower: 1,
    upper,
    timeoutMs: 120_000,
    connectConcurrency: 512,
    onProgress: (progress) => {
      if (!announced && progress.connected === sessions) {
        announced = true;
        print({ event: 'connected' });
      }
    },
  });
  print({ event: 'done', result });
} else {
  const burst = await runOpenLoad({
    port,
    rate: Number(values.burst) * 1000, // all due within the first millisecond
    durationMs: 1,
    lower: 1,
    upper,
    timeoutMs: 60_000,
  });
  const open = await runOpenLoad({
    port,
    rate: Number(values.rate),
    durationMs,
    lower: 1,
    upper,
    timeoutMs: 60_000,
  });
  print({ event: 'done', burst, open });
}
