import { readFileSync } from 'node:fs';

/** A file a README example asks the reader to save. */
export interface ExampleFile {
  readonly name: string;
  readonly source: string;
}

/**
 * The runnable examples of a README: every ```js block whose first line is a comment naming
 * the file to save it as (`// example.mjs`, `// primes.mjs`, `// example.cjs`). The one
 * named `example.mjs` is the one to run; the others are the files it uses.
 */
export function readmeExamples(readmePath: string): ExampleFile[] {
  const text = readFileSync(readmePath, 'utf8');
  const files: ExampleFile[] = [];
  const fence = /^```js\n(\/\/ ([\w.-]+\.[cm]js)\b[^\n]*\n[\s\S]*?)^```$/gm;
  for (const match of text.matchAll(fence)) {
    const [, source, name] = match;
    if (source !== undefined && name !== undefined) files.push({ name, source });
  }
  return files;
}
