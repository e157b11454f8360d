import { seededRandom } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { NOT_QUEUED, type QueueEntry, TaskQueue } from './task-queue.js';

interface Entry extends QueueEntry {
  readonly label: number;
}

function entry(label: number, priority: number): Entry {
  return { label, priority, seq: 0, place: NOT_QUEUED, heapIndex: -1 };
}

/** The reference: a plain list, sorted on every take. */
function nextOf(model: Entry[]): Entry | undefined {
  let best: Entry | undefined;
  for (const e of model) {
    if (
      best === undefined ||
      e.priority > best.priority ||
      (e.priority === best.priority && e.seq < best.seq)
    ) {
      best = e;
    }
  }
  return best;
}

describe('TaskQueue', () => {
  it('matches a sorted-list model under random push, shift, remove and setPriority (many seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = seededRandom(seed);
      const queue = new TaskQueue<Entry>();
      const model: Entry[] = [];
      let label = 0;
      // Few distinct priorities, with 0 (the FIFO) the most common, as in real use.
      const priority = (): number => (random() < 0.5 ? 0 : Math.floor(random() * 7) - 3);
      for (let step = 0; step < 300; step++) {
        const op = random();
        if (op < 0.45) {
          const e = entry(label++, priority());
          queue.push(e);
          model.push(e);
        } else if (op < 0.7) {
          const expected = nextOf(model);
          const got = queue.shift();
          expect(got?.label, `seed ${seed} step ${step}`).toBe(expected?.label);
          if (expected !== undefined) model.splice(model.indexOf(expected), 1);
        } else if (op < 0.85 && model.length > 0) {
          const victim = model[Math.floor(random() * model.length)] as Entry;
          expect(queue.remove(victim)).toBe(true);
          expect(queue.remove(victim)).toBe(false);
          model.splice(model.indexOf(victim), 1);
        } else if (model.length > 0) {
          const target = model[Math.floor(random() * model.length)] as Entry;
          expect(queue.setPriority(target, priority())).toBe(true);
        }
      }
      const drained = queue.drain().map((e) => e.label);
      const expected: number[] = [];
      for (let e = nextOf(model); e !== undefined; e = nextOf(model)) {
        expected.push(e.label);
        model.splice(model.indexOf(e), 1);
      }
      expect(drained, `seed ${seed}`).toEqual(expected);
      expect(queue.shift()).toBeUndefined();
    }
  });

  it('refuses to re-prioritise or remove an entry that is not queued', () => {
    const queue = new TaskQueue<Entry>();
    const e = entry(1, 2);
    expect(queue.setPriority(e, 3)).toBe(false);
    queue.push(e);
    expect(queue.shift()).toBe(e);
    expect(queue.setPriority(e, 3)).toBe(false);
    expect(queue.remove(e)).toBe(false);
  });
});
