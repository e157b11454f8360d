/**
 * The errors of the HashLife engine. (They move into the package's `src/errors.ts` when the
 * engine is wired into `createEngine`.)
 */

/**
 * The node cache is full and a collection could not free enough of it: the live part of the
 * world (plus the step being computed) needs more than `maxMemoryMb`. Raise `maxMemoryMb`,
 * or step in smaller jumps. The world stays at the last completed generation.
 */
export class HashLifeMemoryError extends Error {
  static readonly code = 'FANOUT_HASHLIFE_MEMORY';
  readonly code = HashLifeMemoryError.code;
  override readonly name = 'HashLifeMemoryError';
  /** The limit in force, in MiB. */
  readonly maxMemoryMb: number;
  /** Nodes still in use after the collection. */
  readonly liveNodes: number;

  constructor(maxMemoryMb: number, liveNodes: number, options?: ErrorOptions) {
    super(
      `hashlife ran out of memory: ${liveNodes} nodes still in use fill maxMemoryMb ${maxMemoryMb} after garbage collection; raise maxMemoryMb or step in smaller jumps`,
      options,
    );
    this.maxMemoryMb = maxMemoryMb;
    this.liveNodes = liveNodes;
  }
}

/** A generation count that is not a non-negative integer (`"1e12"`, `"2^40"` are fine). */
export class GenerationCountError extends Error {
  static readonly code = 'FANOUT_GENERATION_COUNT';
  readonly code = GenerationCountError.code;
  override readonly name = 'GenerationCountError';
  /** The text or value as given. */
  readonly value: string;

  constructor(value: string, problem: string) {
    super(`invalid generation count ${JSON.stringify(value)}: ${problem}`);
    this.value = value;
  }
}
