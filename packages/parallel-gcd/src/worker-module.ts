/**
 * Where the built worker entry lives: beside the module that asks, in the same format
 * (dist/worker.js next to the ESM build, dist/worker.cjs next to the CJS build, where
 * tsup's shim provides `import.meta.url`). Never the source tree: threads run plain Node.
 */
export function workerModuleUrl(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.cjs') ? './worker.cjs' : './worker.js', here);
}
