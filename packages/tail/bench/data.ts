import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Line `k` of input `f`: `fF SEQ payload`, 44 bytes, easy to check. */
function line(f: number, k: number): string {
  return `f${f} ${String(k).padStart(8, '0')} lorem ipsum dolor sit amet, xyz\n`;
}

/** Writes `files` inputs of `lines` lines each into `dir`; returns their paths. */
export async function makeInputs(dir: string, files: number, lines: number): Promise<string[]> {
  const paths: string[] = [];
  for (let f = 0; f < files; f++) {
    const path = join(dir, `input-${f}.log`);
    const fh = await open(path, 'w');
    const step = 100_000;
    for (let from = 0; from < lines; from += step) {
      const parts: string[] = [];
      for (let k = from; k < Math.min(lines, from + step); k++) parts.push(line(f, k));
      await fh.write(parts.join(''));
    }
    await fh.close();
    paths.push(path);
  }
  await writeFile(join(dir, '.ready'), '');
  return paths;
}

/**
 * Checks every output line: each is a whole input line, each input's lines appear exactly
 * once and in order. Returns the number of lines checked, or throws naming the first problem.
 */
export function checkMerged(output: Buffer, files: number, lines: number): number {
  const next = new Array<number>(files).fill(0);
  let pos = 0;
  let count = 0;
  while (pos < output.length) {
    const nl = output.indexOf(10, pos);
    if (nl < 0) throw new Error(`output ends without a newline at byte ${pos}`);
    const sp = output.indexOf(32, pos);
    const f = Number(output.toString('latin1', pos + 1, sp));
    const k = Number(output.toString('latin1', sp + 1, sp + 9));
    const expected = line(f, next[f] ?? -1);
    if (next[f] !== k || output.toString('latin1', pos, nl + 1) !== expected) {
      throw new Error(`line ${count + 1}: expected input ${f} line ${next[f]}, got ${k}`);
    }
    next[f] = k + 1;
    count++;
    pos = nl + 1;
  }
  for (let f = 0; f < files; f++) {
    if (next[f] !== lines) throw new Error(`input ${f}: ${next[f]} of ${lines} lines in output`);
  }
  return count;
}
