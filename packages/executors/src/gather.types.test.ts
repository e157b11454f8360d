/**
 * The types `gather` gives (checked by `tsc` in `pnpm typecheck`; the runtime assertions
 * below also run): each task of a tuple keeps its own result type, any other iterable
 * gives one element type, and the settle-all form wraps each in `PromiseSettledResult`.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { gather } from './gather.js';

describe('gather types', () => {
  it('keeps each result type of a heterogeneous list, in its place', async () => {
    const result = gather([async () => 1, async () => 'two', Promise.resolve(true), () => 3n]);
    expectTypeOf(result).toEqualTypeOf<Promise<[number, string, boolean, bigint]>>();
    const [one, two, yes, three] = await result;
    expectTypeOf(one).toEqualTypeOf<number>();
    expectTypeOf(two).toEqualTypeOf<string>();
    expect([one, two, yes, three]).toEqual([1, 'two', true, 3n]);
  });

  it('types the signal of function tasks, and gives literal tasks their widened values', async () => {
    const [aborted, label] = await gather([
      (signal) => {
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
        return signal.aborted;
      },
      async () => 'label' as const,
    ]);
    expectTypeOf(aborted).toEqualTypeOf<boolean>();
    expectTypeOf(label).toEqualTypeOf<'label'>();
    expect([aborted, label]).toEqual([false, 'label']);
  });

  it('settle-all keeps each type inside its PromiseSettledResult', async () => {
    const settled = await gather([async () => 1, async () => Promise.reject(new Error('x'))], {
      settle: true,
    });
    expectTypeOf(settled).toEqualTypeOf<
      [PromiseSettledResult<number>, PromiseSettledResult<never>]
    >();
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('an array that is not a tuple, or any iterable, gives one element type', async () => {
    const tasks: (() => Promise<number>)[] = [async () => 1, async () => 2];
    expectTypeOf(gather(tasks)).toEqualTypeOf<Promise<number[]>>();
    function* generated(): Generator<Promise<string>> {
      yield Promise.resolve('a');
    }
    expectTypeOf(gather(generated())).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(gather<number>([Promise.resolve(1)])).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(gather([])).toEqualTypeOf<Promise<[]>>();
    expect(await gather(generated())).toEqual(['a']);
  });

  it('refuses what is not a task', () => {
    // @ts-expect-error a plain value is neither a promise nor a function
    void gather([1, async () => 2]).catch(() => {});
    // @ts-expect-error a result type that does not match the declared one
    const wrong: Promise<[string]> = gather([async () => 1]);
    void wrong;
  });
});
