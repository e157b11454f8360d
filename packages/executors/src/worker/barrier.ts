/**
 * The thread side of `WorkerPool#broadcast` on piscina, which has no way to address one
 * thread: the pool sends as many barrier tasks as the pool has threads at most, and each
 * one, once it reaches a thread, claims its slot and waits until every slot is claimed.
 * A thread runs one task at a time, so while they wait each holds a different thread:
 * when the last one arrives, every thread holds exactly one, and all run the call.
 */
import { BARRIER, type BarrierTask } from './protocol.js';

type WaitAsync = (
  cells: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

// Atomics.waitAsync (ES2024; every Node this package supports has it) keeps the thread's
// event loop running while it waits, so the user module's timers and I/O go on.
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * Claims the task's slot and waits for the others. Resolves true when every slot was
 * claimed (run the call now), false when the pool called the broadcast off or withdrew
 * this slot first (run nothing).
 */
export async function waitForBarrier(task: BarrierTask): Promise<boolean> {
  const { cells } = task;
  const slot = BARRIER.slots + task.slot;
  if (Atomics.compareExchange(cells, slot, BARRIER.FREE, BARRIER.CLAIMED) !== BARRIER.FREE) {
    return false;
  }
  if (Atomics.add(cells, BARRIER.arrived, 1) + 1 === task.count) {
    // The last one in opens the barrier, unless the pool cancelled it just before.
    Atomics.compareExchange(cells, BARRIER.state, BARRIER.GATHERING, BARRIER.GO);
    Atomics.notify(cells, BARRIER.state);
  }
  while (Atomics.load(cells, BARRIER.state) === BARRIER.GATHERING) {
    const wait = waitAsync(cells, BARRIER.state, BARRIER.GATHERING);
    if (wait.async) await wait.value;
  }
  return Atomics.load(cells, BARRIER.state) === BARRIER.GO;
}
