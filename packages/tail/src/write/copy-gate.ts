/**
 * Counts copies in flight (the writer thread copying input lines into the output, whose
 * positions are recorded once they land) and lets a snapshot wait until there are none:
 * while it waits no new copy starts, so it cannot wait forever.
 */
export class CopyGate {
  #inFlight = 0;
  #closed: Promise<void> | undefined;
  #idle: (() => void) | undefined;

  /** Waits while a snapshot is pending, then counts one copy in flight. */
  async enter(): Promise<void> {
    while (this.#closed) await this.#closed;
    this.#inFlight++;
  }

  /** One copy finished (its position recorded, or it copied nothing). */
  leave(): void {
    this.#inFlight--;
    if (this.#inFlight === 0) this.#idle?.();
  }

  /** Runs `take` once no copy is in flight, holding new ones back meanwhile. */
  async quiet<T>(take: () => T): Promise<T> {
    while (this.#closed) await this.#closed;
    let open: () => void = () => {};
    this.#closed = new Promise<void>((resolve) => {
      open = resolve;
    });
    try {
      if (this.#inFlight > 0) {
        await new Promise<void>((resolve) => {
          this.#idle = resolve;
        });
        this.#idle = undefined;
      }
      return take();
    } finally {
      this.#closed = undefined;
      open();
    }
  }
}
