import { parentPort, workerData } from 'node:worker_threads';
import { stepRows } from '../bitwise-kernel.js';
import { type CommandDone, Ctrl, type GridWorkerData } from './protocol.js';

// A worker of the workers engine: takes row bands of each generation until the command is
// done. Blocks in Atomics.wait between commands; this thread does nothing else.

const data = workerData as GridWorkerData;
const ctrl = new Int32Array(data.control);
const buffers = [new Uint32Array(data.buffers[0]), new Uint32Array(data.buffers[1])] as const;
const { shape, chunks, threads } = data;
const SPINS = 20_000;

/** Wait until generation `g` may start; false if the command stops before it. */
function awaitGeneration(g: number): boolean {
  let spins = 0;
  for (;;) {
    const released = Atomics.load(ctrl, Ctrl.released);
    // stop: the engine is closing after another worker died mid-generation.
    if (Atomics.load(ctrl, Ctrl.stopAt) <= g || Atomics.load(ctrl, Ctrl.stop) === 1) return false;
    if (released >= g) return true;
    // Generations take about a millisecond: spin briefly before sleeping in the kernel.
    if (spins < SPINS) spins++;
    else Atomics.wait(ctrl, Ctrl.released, released, 50);
  }
}

function runCommand(): void {
  const generations = Atomics.load(ctrl, Ctrl.generations);
  const parity = Atomics.load(ctrl, Ctrl.parity);
  for (;;) {
    const ticket = Atomics.add(ctrl, Ctrl.ticket, 1);
    const g = Math.floor(ticket / chunks);
    if (g >= generations || !awaitGeneration(g)) return;
    const band = ticket - g * chunks;
    const src = (parity + g) & 1;
    stepRows(
      buffers[src as 0 | 1],
      buffers[(src ^ 1) as 0 | 1],
      shape,
      Math.floor((shape.height * band) / chunks),
      Math.floor((shape.height * (band + 1)) / chunks),
    );
    const finished = Atomics.add(ctrl, Ctrl.finished, 1) + 1;
    if (finished % chunks === 0) {
      // The last band of generation g: decide whether g + 1 runs, then release it.
      const completed = finished / chunks;
      if (Atomics.load(ctrl, Ctrl.abort) === 1 && completed < generations) {
        Atomics.store(ctrl, Ctrl.stopAt, completed);
      }
      Atomics.store(ctrl, Ctrl.released, completed);
      Atomics.notify(ctrl, Ctrl.released);
    }
  }
}

let seen = 0;
for (;;) {
  while (Atomics.load(ctrl, Ctrl.epoch) === seen) Atomics.wait(ctrl, Ctrl.epoch, seen);
  seen = Atomics.load(ctrl, Ctrl.epoch);
  if (Atomics.load(ctrl, Ctrl.stop) === 1) break;
  runCommand();
  if (Atomics.add(ctrl, Ctrl.left, 1) === threads - 1) {
    const executed = Math.min(Atomics.load(ctrl, Ctrl.stopAt), Atomics.load(ctrl, Ctrl.released));
    const done: CommandDone = { type: 'done', epoch: seen, executed };
    parentPort?.postMessage(done);
  }
}
