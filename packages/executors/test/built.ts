// The built package (dist), typed from the sources. Imported through a computed URL so that
// type-checking does not need dist to exist.
import type * as Api from '../src/index.js';

const distUrl = new URL('../dist/index.js', import.meta.url).href;

export const built = (await import(distUrl)) as typeof Api;

/** URL of a worker fixture. */
export function fixture(name: string): URL {
  return new URL(`./fixtures/${name}`, import.meta.url);
}
