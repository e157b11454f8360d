import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The files a built ESM file loads from its own package (relative imports, followed
 * transitively), each with its text: what a consumer importing that entry pulls in.
 */
export function localImports(file: string, seen = new Map<string, string>()): Map<string, string> {
  if (seen.has(file)) return seen;
  const text = readFileSync(file, 'utf8');
  seen.set(file, text);
  for (const m of text.matchAll(/(?:from|import)\s*["'](\.[^"']+)["']/g)) {
    localImports(join(dirname(file), m[1] as string), seen);
  }
  return seen;
}
