import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The one way a fanout package finds a worker entry it ships. Worker entries are built once,
 * as CommonJS (`dist/<name>.cjs`, see tsup.base.ts): Node starts a CommonJS thread sooner
 * than an ES module one, and the same file serves the ESM and the CJS build of the package.
 *
 * `from` is the caller's `import.meta.url` (tsup's shim provides it in the CJS build). From
 * the built package the worker sits beside the calling module in `dist/`; from the sources
 * (a package's own tests run `src/*.ts`) it is taken from the package's built `dist/`.
 */
export function workerFileUrl(name: string, from: string): URL {
  if (!/\.[cm]?tsx?$/.test(from)) return new URL(`./${name}.cjs`, from);
  return pathToFileURL(join(packageRoot(fileURLToPath(from)), 'dist', `${name}.cjs`));
}

const roots = new Map<string, string>();

function packageRoot(file: string): string {
  const start = dirname(file);
  const known = roots.get(start);
  if (known !== undefined) return known;
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${file}`);
    dir = parent;
  }
  roots.set(start, dir);
  return dir;
}
