/**
 * Where the built writer worker lives: next to this module in `dist/`. Both builds start the
 * CommonJS file: the worker uses only Node built-ins, and a CommonJS entry starts ~10 ms
 * sooner than an ES module (no ESM loader to set up in the new thread), which every merge
 * waits for. tsup's shims give the CJS build an `import.meta.url`. When this module runs
 * from `src/` (the package's own tests), the worker is taken from the built `dist/`.
 */
export function writerWorkerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../dist/writer-worker.cjs', here);
  return new URL('./writer-worker.cjs', here);
}
