/**
 * Where the built writer worker lives: next to this module in `dist/` (ESM `.js`, CJS `.cjs`;
 * tsup's shims give the CJS build an `import.meta.url`). When this module runs from `src/`
 * (the package's own tests), the worker is taken from the built `dist/`.
 */
export function writerWorkerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../dist/writer-worker.js', here);
  return new URL(here.endsWith('.cjs') ? './writer-worker.cjs' : './writer-worker.js', here);
}
