// One queue worker process of the bench (what `fanout worker` is on each machine).
import { startQueueWorker } from '../dist/index.js';

const worker = await startQueueWorker({
  connection: process.env.REDIS_URL,
  queue: process.env.QUEUE,
  module: new URL('./gcd-task.mjs', import.meta.url),
  threads: Number(process.env.THREADS ?? 1),
});
process.once('SIGTERM', async () => {
  await worker.close();
  process.exit(0);
});
process.send?.('ready');
