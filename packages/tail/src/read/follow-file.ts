import { FileFollower } from './follower.js';
import type { LinePart } from './splitter.js';
import type { FileIdentity, FollowedLine, FollowOptions } from '../types.js';

const NEWLINE = 10;

/**
 * Reads a file as whole lines with their byte offsets. Without `follow` it ends at EOF (a last
 * line without newline is yielded with `terminated: false`); with `follow` it waits for more,
 * survives truncation, rotation by rename, deletion and re-creation, and ends when `signal`
 * aborts. Events go to `onEvent`. Throws `InputError` when the file cannot be read (or is
 * missing without `follow`).
 *
 * @example
 * const ac = new AbortController();
 * for await (const { line, nextOffset } of followFile('/var/log/app.log', { follow: true, signal: ac.signal })) {
 *   console.log(nextOffset, line.toString());
 * }
 */
export async function* followFile(
  path: string,
  options: FollowOptions = {},
): AsyncGenerator<FollowedLine, void, undefined> {
  const follower = new FileFollower(path, options);
  try {
    for (;;) {
      const batch = await follower.next();
      if (!batch) return;
      for (const part of batch.parts) yield* linesOf(part, path, batch.identity);
    }
  } finally {
    await follower.close();
  }
}

function* linesOf(part: LinePart, path: string, identity: FileIdentity): Generator<FollowedLine> {
  const { data, offset } = part;
  if (part.addedNewline) {
    const line = data.subarray(0, data.length - 1);
    yield { line, offset, nextOffset: offset + line.length, path, identity, terminated: false };
    return;
  }
  let pos = 0;
  while (pos < data.length) {
    const nl = data.indexOf(NEWLINE, pos);
    const line = data.subarray(pos, nl);
    yield {
      line,
      offset: offset + pos,
      nextOffset: offset + nl + 1,
      path,
      identity,
      terminated: true,
    };
    pos = nl + 1;
  }
}
