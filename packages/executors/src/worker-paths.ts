import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Path of the built worker runner. Resolved from this module's own URL, so it works from
 * dist/index.js (ESM) and from dist/index.cjs (CJS, where tsup's shim provides
 * `import.meta.url`); both builds use the ESM runner, which can import ESM and CJS modules.
 */
export function runnerPath(): string {
  return fileURLToPath(new URL('./worker-runner.js', import.meta.url));
}

/**
 * The worker module as a URL string the runner can `import()`: a `URL`, a `file:` URL
 * string, an absolute path, or a path relative to the current working directory.
 */
export function moduleSpecifier(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (module.startsWith('file:') || module.startsWith('data:')) return module;
  return pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
}
