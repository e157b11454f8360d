/**
 * One overhead row, alone, for `node --cpu-prof`: `tsx bench/profile-row.ts bullmq|map|run
 * [--jobs N] [--concurrency N]`. Prints this process' CPU during the timed part.
 */
import { startRedis } from '@fanout/test-kit';
import { bullmqDirect, type Clock, fanoutQueue, type OverheadOptions } from './overhead.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}
const row = process.argv[2] ?? 'map';
const redis = await startRedis();
try {
  const options: OverheadOptions = {
    url: redis.url,
    jobs: flag('jobs', 4000),
    threads: 2,
    concurrency: flag('concurrency', 16),
    module: new URL('./gcd-task.mjs', import.meta.url),
  };
  const window = [0n, 0n];
  let before = process.cpuUsage();
  let used = { user: 0, system: 0 };
  const clock: Clock = {
    async start() {
      before = process.cpuUsage();
      window[0] = process.hrtime.bigint() / 1000n;
    },
    async stop() {
      used = process.cpuUsage(before);
      window[1] = process.hrtime.bigint() / 1000n;
    },
  };
  const work = (c: Clock) =>
    row === 'bullmq'
      ? bullmqDirect(options, true, c)
      : fanoutQueue(options, row as 'map' | 'run', false, c);
  await work({ start: async () => {}, stop: async () => {} }); // warm-up
  const seconds = await work(clock);
  console.log(
    `${row}: ${seconds.toFixed(3)} s, process CPU ${((used.user + used.system) / 1e3).toFixed(0)} ms, window ${window[0]} ${window[1]}`,
  );
} finally {
  await redis.stop();
}
