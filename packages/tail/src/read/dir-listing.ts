import { readdir } from 'node:fs/promises';

/** Listings asked for and not started yet, by directory: they start on the next turn. */
const queued = new Map<string, Promise<readonly string[]>>();

/**
 * The names in `dir`, read after this call: requests for the same directory made in the
 * same turn of the event loop share one `readdir`, started on the next turn. So 1,000
 * followers of one directory looking at once cost one listing, not 1,000 (each of 1,000
 * names). A listing already under way never answers a later request: whoever asks gets
 * names read after asking, which is what a scan's second look relies on to see renames
 * made after its opens. The array is shared between the callers: read it, never change it.
 */
export function listDirectory(dir: string): Promise<readonly string[]> {
  const waiting = queued.get(dir);
  if (waiting) return waiting;
  const listing = new Promise<readonly string[]>((resolve, reject) => {
    setImmediate(() => {
      queued.delete(dir);
      readdir(dir).then(resolve, reject);
    });
  });
  queued.set(dir, listing);
  return listing;
}
