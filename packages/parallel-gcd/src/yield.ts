/** Lets timers, I/O and signal handlers run before continuing (a macrotask turn). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
