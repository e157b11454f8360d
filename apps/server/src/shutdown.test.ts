import { Writable } from 'node:stream';
import { deferred } from '@fanout/test-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';
import { exitOnSignals } from './shutdown.js';

function capture() {
  const lines: Array<{ msg: string; [key: string]: unknown }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

const SIGNAL = 'SIGUSR2' as const; // a signal nothing else in the test runner listens to
let dispose: (() => void) | undefined;
afterEach(() => {
  dispose?.();
  vi.useRealTimers();
});

describe('exitOnSignals', () => {
  it('runs close once on the first signal and exits 0 when it finishes', async () => {
    const { lines, logger } = capture();
    const gate = deferred();
    const close = vi.fn(() => gate.promise);
    const exit = vi.fn();
    dispose = exitOnSignals({ close, logger, exit, forceAfterMs: 60_000, signals: [SIGNAL] });
    process.emit(SIGNAL, SIGNAL);
    expect(close).toHaveBeenCalledTimes(1);
    expect(exit).not.toHaveBeenCalled(); // still draining
    gate.resolve();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(lines.map((l) => l.msg)).toEqual(['shutting down: draining', 'stopped']);
  });

  it('exits 1 at once on a second signal', () => {
    const { logger } = capture();
    const exit = vi.fn();
    dispose = exitOnSignals({
      close: () => new Promise(() => {}),
      logger,
      exit,
      forceAfterMs: 60_000,
      signals: [SIGNAL],
    });
    process.emit(SIGNAL, SIGNAL);
    process.emit(SIGNAL, SIGNAL);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('exits 1 when close fails or outlasts the force timeout', async () => {
    vi.useFakeTimers();
    const { lines, logger } = capture();
    const exit = vi.fn();
    dispose = exitOnSignals({
      close: () => new Promise(() => {}),
      logger,
      exit,
      forceAfterMs: 5_000,
      signals: [SIGNAL],
    });
    process.emit(SIGNAL, SIGNAL);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(exit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines.at(-1)?.msg).toBe('shutdown took too long: exiting');
    dispose();

    const failing = vi.fn();
    dispose = exitOnSignals({
      close: () => Promise.reject(new Error('stuck socket')),
      logger,
      exit: failing,
      forceAfterMs: 5_000,
      signals: [SIGNAL],
    });
    process.emit(SIGNAL, SIGNAL);
    await vi.advanceTimersByTimeAsync(0);
    expect(failing).toHaveBeenCalledWith(1);
  });
});
