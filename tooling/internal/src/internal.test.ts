import { getEventListeners, getMaxListeners } from 'node:events';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { raceAbort } from './abort.js';
import { allowManyListeners } from './listeners.js';
import { seededRandom, seededUint32 } from './random.js';
import { isThenable } from './thenable.js';
import { workerFileUrl } from './worker-file.js';

describe('seededUint32 / seededRandom', () => {
  it('gives mulberry32 exactly: the same seed, the same sequence, everywhere', () => {
    const next = seededUint32(1);
    expect([next(), next(), next()]).toEqual([2693262067, 11749833, 2265367787]);
    // The reference implementation's first float for seed 1.
    expect(seededRandom(1)()).toBe(0.6270739405881613);
    const a = seededRandom(42);
    const b = seededRandom(42);
    const drawn = Array.from({ length: 1000 }, () => a());
    expect(drawn).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(drawn.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(drawn[0]);
  });
});

describe('isThenable', () => {
  it('is true for anything with a callable then, as await decides', () => {
    expect(isThenable(Promise.resolve())).toBe(true);
    // Built with defineProperty: a literal `then` member is what the linter warns about.
    const withThen = <T extends object>(target: T, then: unknown): T =>
      Object.defineProperty(target, 'then', { value: then });
    expect(isThenable(withThen({}, () => {}))).toBe(true);
    const fn = (): void => {};
    expect(isThenable(withThen(fn, fn))).toBe(true);
    for (const value of [null, undefined, 1, 'then', withThen({}, 1), {}]) {
      expect(isThenable(value)).toBe(false);
    }
  });
});

describe('workerFileUrl', () => {
  it('finds the CommonJS worker beside a built module', () => {
    const from = 'file:///opt/app/node_modules/@fanout/tail/dist/chunk-ABC.js';
    expect(workerFileUrl('writer-worker', from).href).toBe(
      'file:///opt/app/node_modules/@fanout/tail/dist/writer-worker.cjs',
    );
  });

  it("takes the package's dist/ when called from a source file", () => {
    const from = pathToFileURL(`${process.cwd()}/src/deep/folder/x.ts`).href;
    expect(workerFileUrl('w', from).href).toBe(pathToFileURL(`${process.cwd()}/dist/w.cjs`).href);
  });
});

describe('allowManyListeners', () => {
  it("lifts Node's ten-listener warning limit on that signal only", () => {
    // Whether Node prints the warning at eleven listeners differs between versions; the
    // limit itself is what each version checks before warning.
    const controller = new AbortController();
    const other = new AbortController();
    allowManyListeners(controller.signal);
    expect(getMaxListeners(controller.signal)).toBe(Number.POSITIVE_INFINITY);
    // The default differs (10 on Node 20 and 26, 0 = no warning on 22 and 24): untouched.
    expect(getMaxListeners(other.signal)).not.toBe(Number.POSITIVE_INFINITY);
  });
});

describe('raceAbort', () => {
  it('settles like the work when the signal stays quiet, and leaves no listener behind', async () => {
    const { signal } = new AbortController();
    await expect(raceAbort(Promise.resolve(7), signal)).resolves.toBe(7);
    await expect(raceAbort(Promise.reject(new Error('own')), signal)).rejects.toThrow('own');
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the reason as soon as the signal aborts, before the work settles', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const raced = raceAbort(never, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(raced).rejects.toBe(reason);
  });

  it('rejects at once for a signal already aborted, and passes work through without one', async () => {
    const reason = new Error('already');
    await expect(raceAbort(Promise.resolve(1), AbortSignal.abort(reason))).rejects.toBe(reason);
    await expect(raceAbort(Promise.resolve(2), undefined)).resolves.toBe(2);
  });
});
