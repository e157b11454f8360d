// A CommonJS consumer of the built package (self-reference through the exports map).
const path = require('node:path');
const { WorkerPool, offload } = require('@fanout/executors');

async function main() {
  const tasks = path.join(__dirname, '..', 'fixtures', 'tasks.mjs');
  const pool = new WorkerPool({ module: tasks, maxThreads: 1, minThreads: 0 });
  const sum = await pool.run('add', [20, 22]);
  const squares = await pool.map('square', [1, 2, 3]);
  await pool.close();
  // offload's shared pool is not closed on purpose: it must not keep the process alive.
  const product = await offload(
    path.join(__dirname, '..', 'fixtures', 'tasks.cjs'),
    'multiply',
    6,
    7,
  );
  console.log(JSON.stringify({ format: 'cjs', sum, squares, product }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
