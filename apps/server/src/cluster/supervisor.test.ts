import { describe, expect, it } from 'vitest';
import { restartDelayMs } from './supervisor.js';

describe('restartDelayMs', () => {
  it('replaces a first crash at once, then backs off up to 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => restartDelayMs(n, false))).toEqual([
      0, 400, 800, 1600, 3200, 5000, 5000, 5000,
    ]);
    expect(restartDelayMs(0, false)).toBe(0);
  });

  it('waits a moment after a clean exit, in case the shutdown signal is on its way', () => {
    expect(restartDelayMs(1, true)).toBe(250);
    expect(restartDelayMs(4, true)).toBe(1600);
  });
});
