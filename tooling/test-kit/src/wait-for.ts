/**
 * Polls `check` every few milliseconds until it returns true; rejects naming `what` after
 * `timeoutMs`. For waits on real files, processes and sockets, where no event tells us;
 * the limit is generous on purpose (it bounds a hang, it does not measure speed).
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Drains an async iterable in the background into an array, mapped item by item. */
export function collect<T, U>(
  iterable: AsyncIterable<T>,
  map: (item: T) => U,
): { items: U[]; done: Promise<void> } {
  const items: U[] = [];
  const done = (async () => {
    for await (const item of iterable) items.push(map(item));
  })();
  return { items, done };
}
