/**
 * State the serving thread shares with the operations thread through shared memory, so
 * `/healthz` can be answered without waiting for the (possibly saturated) serving loop.
 */
export class SharedOpsState {
  /** Pass this to the other thread; both sides wrap the same memory. */
  readonly buffer: SharedArrayBuffer;
  readonly #flags: Int32Array;
  readonly #times: BigInt64Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(32)) {
    this.buffer = buffer;
    this.#flags = new Int32Array(buffer, 0, 2);
    this.#times = new BigInt64Array(buffer, 8, 1);
  }

  /** True once a shutdown has started (its delay, then the drain). */
  get stopping(): boolean {
    return Atomics.load(this.#flags, 0) === 1;
  }
  set stopping(value: boolean) {
    Atomics.store(this.#flags, 0, value ? 1 : 0);
  }

  /** Guess connections open, as of the last heartbeat. */
  get connections(): number {
    return Atomics.load(this.#flags, 1);
  }

  /** Milliseconds (epoch) of the serving loop's last heartbeat. */
  get heartbeatAt(): number {
    return Number(Atomics.load(this.#times, 0));
  }

  /**
   * How long the serving loop has not turned, when that is more than `stallAfterMs`;
   * else undefined.
   */
  stalledMs(stallAfterMs: number, now: number = Date.now()): number | undefined {
    const since = now - this.heartbeatAt;
    return since > stallAfterMs ? since : undefined;
  }

  /** Called from the serving loop: "still turning", with the current connection count. */
  beat(connections: number, now: number = Date.now()): void {
    Atomics.store(this.#flags, 1, connections);
    Atomics.store(this.#times, 0, BigInt(Math.floor(now)));
  }
}
