import { parentPort, workerData } from 'node:worker_threads';
import { stepRows } from '../bitwise-kernel.js';
import { type CommandDone, Ctrl, type GridWorkerData } from './protocol.js';

// One band of rows of the workers engine. Blocks in Atomics.wait between commands: this
// thread does nothing else.

const data = workerData as GridWorkerData;
const ctrl = new Int32Array(data.control);
const buffers = [new Uint32Array(data.buffers[0]), new Uint32Array(data.buffers[1])] as const;
const { shape, yStart, yEnd, threads } = data;
const SPINS = 20_000;

/** Wait for every worker; returns whether to go on (false once the main thread aborted). */
function barrier(): boolean {
  const generation = Atomics.load(ctrl, Ctrl.barrierGeneration);
  if (Atomics.add(ctrl, Ctrl.barrierCount, 1) === threads - 1) {
    Atomics.store(ctrl, Ctrl.barrierCount, 0);
    Atomics.store(ctrl, Ctrl.proceed, Atomics.load(ctrl, Ctrl.abort) === 0 ? 1 : 0);
    Atomics.add(ctrl, Ctrl.barrierGeneration, 1);
    Atomics.notify(ctrl, Ctrl.barrierGeneration);
  } else {
    // Generations take about a millisecond: spin briefly before sleeping in the kernel.
    for (let i = 0; i < SPINS && Atomics.load(ctrl, Ctrl.barrierGeneration) === generation; i++);
    while (Atomics.load(ctrl, Ctrl.barrierGeneration) === generation) {
      Atomics.wait(ctrl, Ctrl.barrierGeneration, generation);
    }
  }
  return Atomics.load(ctrl, Ctrl.proceed) === 1;
}

let seen = 0;
for (;;) {
  while (Atomics.load(ctrl, Ctrl.epoch) === seen) Atomics.wait(ctrl, Ctrl.epoch, seen);
  seen = Atomics.load(ctrl, Ctrl.epoch);
  if (Atomics.load(ctrl, Ctrl.stop) === 1) break;
  const generations = Atomics.load(ctrl, Ctrl.generations);
  let parity = Atomics.load(ctrl, Ctrl.parity);
  let executed = 0;
  while (executed < generations) {
    stepRows(buffers[parity as 0 | 1], buffers[(parity ^ 1) as 0 | 1], shape, yStart, yEnd);
    parity ^= 1;
    executed++;
    if (!barrier()) break;
  }
  if (Atomics.add(ctrl, Ctrl.doneCount, 1) === threads - 1) {
    Atomics.store(ctrl, Ctrl.doneCount, 0);
    const done: CommandDone = { type: 'done', epoch: seen, executed };
    parentPort?.postMessage(done);
  }
}
