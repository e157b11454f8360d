import { parentPort, workerData } from 'node:worker_threads';
import { stepRows } from '../bitwise-kernel.js';
import { ALL_DONE, bandLayout, claimBand, completeBand } from './band-schedule.js';
import { bandStart, type CommandDone, Ctrl, type GridWorkerData, targetOf } from './protocol.js';

// A worker of the workers engine: steps row bands until the command is done. Blocks in
// Atomics.wait between commands and while no band can step; this thread does nothing else.

const data = workerData as GridWorkerData;
const ctrl = new Int32Array(data.control);
const buffers = [new Uint32Array(data.buffers[0]), new Uint32Array(data.buffers[1])] as const;
const { shape, bands, threads } = data;
const layout = bandLayout(bands, shape.torus, data.index, threads);
const starts = Int32Array.from({ length: bands + 1 }, (_, b) => bandStart(shape.height, bands, b));
// A band takes tens of microseconds: look again a few hundred times before sleeping.
const SCANS_BEFORE_SLEEP = 400;

function runCommand(): void {
  const generations = Atomics.load(ctrl, Ctrl.generations);
  const parity = Atomics.load(ctrl, Ctrl.parity);
  let scans = 0;
  for (;;) {
    // Read before looking, so a step finished meanwhile makes the wait return at once.
    const seen = Atomics.load(ctrl, Ctrl.progress);
    const band = claimBand(ctrl, layout, generations);
    if (band === ALL_DONE) return;
    if (band >= 0) {
      const generation = Atomics.load(ctrl, Ctrl.bands + band) >> 1;
      const src = (parity + generation) & 1;
      stepRows(
        buffers[src as 0 | 1],
        buffers[(src ^ 1) as 0 | 1],
        shape,
        starts[band] as number,
        starts[band + 1] as number,
      );
      completeBand(ctrl, band);
      scans = 0;
      continue;
    }
    // stop: the engine is closing after another worker died mid-command.
    if (Atomics.load(ctrl, Ctrl.stop) === 1) return;
    if (++scans < SCANS_BEFORE_SLEEP) continue;
    Atomics.add(ctrl, Ctrl.sleepers, 1);
    Atomics.wait(ctrl, Ctrl.progress, seen, 50);
    Atomics.sub(ctrl, Ctrl.sleepers, 1);
  }
}

let seen = 0;
for (;;) {
  while (Atomics.load(ctrl, Ctrl.epoch) === seen) Atomics.wait(ctrl, Ctrl.epoch, seen);
  seen = Atomics.load(ctrl, Ctrl.epoch);
  if (Atomics.load(ctrl, Ctrl.stop) === 1) break;
  runCommand();
  if (Atomics.add(ctrl, Ctrl.left, 1) === threads - 1) {
    const generations = Atomics.load(ctrl, Ctrl.generations);
    const executed = targetOf(Atomics.load(ctrl, Ctrl.level), generations);
    const done: CommandDone = { type: 'done', epoch: seen, executed };
    parentPort?.postMessage(done);
  }
}
