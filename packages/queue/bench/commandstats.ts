/**
 * Redis commands per job, BullMQ directly against @fanout/queue (one run each, no timing):
 * `tsx bench/commandstats.ts [--jobs N]`. Counts come from INFO commandstats, reset per row.
 */
import { startRedis } from '@fanout/test-kit';
import { Redis } from 'ioredis';
import { bullmqDirect, fanoutQueue, type OverheadOptions } from './overhead.js';

const index = process.argv.indexOf('--jobs');
const jobs = index === -1 ? 2000 : Number(process.argv[index + 1]);
const redis = await startRedis();
const admin = new Redis(redis.port, '127.0.0.1');
try {
  const options: OverheadOptions = {
    url: redis.url,
    jobs,
    threads: 2,
    concurrency: 16,
    module: new URL('./gcd-task.mjs', import.meta.url),
  };
  const rows = {
    'BullMQ + WorkerPool (baseline)': () => bullmqDirect(options, true),
    'fanout map (chunkSize 1)': () => fanoutQueue(options, 'map'),
    'fanout run × N': () => fanoutQueue(options, 'run'),
    'fanout map, reply awaited (before)': () => fanoutQueue(options, 'map', true),
  };
  for (const [name, work] of Object.entries(rows)) {
    await admin.config('RESETSTAT');
    await work();
    const info = await admin.info('commandstats');
    const counts: string[] = [];
    let total = 0;
    for (const match of info.matchAll(/cmdstat_(\S+):calls=(\d+),usec=(\d+)/g)) {
      const calls = Number(match[2]);
      if (['info', 'config'].includes(match[1]!)) continue;
      total += calls;
      if (calls >= jobs / 20)
        counts.push(
          `${match[1]} ${(calls / jobs).toFixed(2)} (${(Number(match[3]) / jobs).toFixed(1)} µs)`,
        );
    }
    // Socket reads and writes Redis made (a read may bring several commands).
    const stats = await admin.info('stats');
    const stat = (key: string) => Number(new RegExp(`${key}:(\\d+)`).exec(stats)?.[1] ?? 0);
    const io = `Redis reads ${(stat('total_reads_processed') / jobs).toFixed(2)}/job, writes ${(stat('total_writes_processed') / jobs).toFixed(2)}/job`;
    console.log(`${name}: ${(total / jobs).toFixed(2)} commands/job, ${io} — ${counts.join(', ')}`);
  }
} finally {
  admin.disconnect();
  await redis.stop();
}
