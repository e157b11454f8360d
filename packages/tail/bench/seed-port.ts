import { open } from 'node:fs/promises';
import { AsyncPool } from '@fanout/executors';
import { createLineWriter } from '../src/index.js';

/** The seed's NoNewData: no line is available yet. */
class NoNewData extends Error {}

/**
 * The seed's design (Items 62-63) ported literally: `readline(handle)` compares the position
 * with the file length (`tell`/`seek(0, 2)`), then re-reads from the position with a buffered
 * readline (a seek drops the read buffer, so every call reads a block again); each call goes
 * through an executor (`run_in_executor` → an `AsyncPool` of 6 slots, Python's default
 * `min(32, cpus + 4)` on 2 cores, over libuv's thread pool), and each line is handed
 * to the writer thread one at a time (`run_coroutine_threadsafe` → one message per line).
 * Stops at EOF instead of polling, since the benchmark does not follow.
 */
export async function seedDesignMerge(inputs: string[], output: string): Promise<number> {
  const pool = new AsyncPool({ maxConcurrency: 6 });
  const writer = await createLineWriter(output);
  let lines = 0;
  const tail = async (path: string) => {
    const fh = await open(path, 'r');
    const block = Buffer.alloc(8192);
    let position = 0;
    const readline = async (): Promise<Buffer> => {
      const length = Number((await fh.stat()).size);
      if (length === position) throw new NoNewData();
      const { bytesRead } = await fh.read(block, 0, block.length, position);
      const nl = block.subarray(0, bytesRead).indexOf(10);
      const end = nl < 0 ? bytesRead : nl + 1;
      position += end;
      return Buffer.from(block.subarray(0, end));
    };
    try {
      for (;;) {
        let line: Buffer;
        try {
          line = await pool.submit(readline);
        } catch (e) {
          if (e instanceof NoNewData) break;
          throw e;
        }
        await writer.write(line);
        lines++;
      }
    } finally {
      await fh.close();
    }
  };
  await Promise.all(inputs.map(tail));
  await writer.close();
  await pool.close();
  return lines;
}
