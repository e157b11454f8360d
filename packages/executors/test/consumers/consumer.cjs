// A CommonJS consumer of the built package (self-reference through the exports map).
const path = require('node:path');
const { WorkerPool, offload } = require('@fanout/executors');

async function main() {
  const tasks = path.join(__dirname, '..', 'fixtures', 'tasks.mjs');
  const pool = new WorkerPool({ module: tasks, maxThreads: 1, minThreads: 0 });
  const sum = await pool.run('add', [20, 22]);
  const squares = await pool.map('square', [1, 2, 3]);
  await pool.close();
  // A child-process pool, closed, and one left open on purpose: neither keeps the process alive.
  const processes = new WorkerPool({
    module: tasks,
    runtime: 'process',
    maxThreads: 1,
    minThreads: 1,
  });
  const inProcess = await processes.run('add', [40, 2]);
  await processes.close();
  const leftOpen = new WorkerPool({
    module: tasks,
    runtime: 'process',
    maxThreads: 1,
    minThreads: 1,
  });
  const alsoInProcess = await leftOpen.run('add', [41, 1]);
  // offload's shared pool is not closed on purpose: it must not keep the process alive.
  const product = await offload(
    path.join(__dirname, '..', 'fixtures', 'tasks.cjs'),
    'multiply',
    6,
    7,
  );
  console.log(JSON.stringify({ format: 'cjs', sum, squares, product, inProcess, alsoInProcess }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
