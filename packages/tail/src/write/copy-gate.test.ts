import { describe, expect, it } from 'vitest';
import { CopyGate } from './copy-gate.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('CopyGate', () => {
  it('runs a snapshot at once when no copy is in flight', async () => {
    const gate = new CopyGate();
    await expect(gate.quiet(() => 42)).resolves.toBe(42);
  });

  it('waits for copies in flight and holds new ones back until the snapshot is taken', async () => {
    const gate = new CopyGate();
    await gate.enter();
    await gate.enter();
    const order: string[] = [];
    const snap = gate.quiet(() => order.push('snapshot'));
    let entered = false;
    const late = gate.enter().then(() => {
      entered = true;
      order.push('late copy');
    });
    await tick();
    expect(order).toEqual([]);
    gate.leave();
    await tick();
    expect(order).toEqual([]);
    expect(entered).toBe(false);
    gate.leave();
    await snap;
    await late;
    expect(order).toEqual(['snapshot', 'late copy']);
    gate.leave();
  });

  it('opens again when the snapshot throws', async () => {
    const gate = new CopyGate();
    await expect(
      gate.quiet(() => {
        throw new Error('bad');
      }),
    ).rejects.toThrow('bad');
    await gate.enter(); // not held back
    gate.leave();
    await expect(gate.quiet(() => 'x')).resolves.toBe('x');
  });
});
