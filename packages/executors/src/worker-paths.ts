import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workerFileUrl } from '@fanout/internal/worker-file';

/**
 * Path of the built worker runner (`dist/worker-runner.cjs`), for the ESM and the CJS build
 * alike; it loads ES and CommonJS task modules with `import()`.
 */
export function runnerPath(): string {
  return fileURLToPath(workerFileUrl('worker-runner', import.meta.url));
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
