import { connect, type Socket } from 'node:net';

/** A bare TCP client for tests: send raw bytes, await whole lines, observe the close. */
export class RawClient {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  #carry = '';
  readonly #lines: string[] = [];
  #waiter: ((line: string | undefined) => void) | undefined;
  #ended = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('error', () => {});
    socket.on('data', (text: string) => {
      const parts = (this.#carry + text).split('\n');
      this.#carry = parts.pop() ?? '';
      for (const line of parts) this.#push(line);
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#ended = true;
        this.#waiter?.(undefined);
        this.#waiter = undefined;
        resolve();
      });
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
    });
  }

  #push(line: string): void {
    if (this.#waiter !== undefined) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(line);
    } else {
      this.#lines.push(line);
    }
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The next line, or undefined once the connection closed with nothing left. */
  nextLine(): Promise<string | undefined> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** Every line until the server closes the connection. */
  async linesUntilClose(): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.nextLine();
      if (line === undefined) return lines;
      lines.push(line);
    }
  }

  close(): Promise<void> {
    this.socket.destroy();
    return this.closed;
  }
}

/** A promise with its resolver, for deterministic waits. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
