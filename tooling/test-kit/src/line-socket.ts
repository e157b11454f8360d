import { connect, type Socket } from 'node:net';

/**
 * A bare TCP client for protocol tests: send raw bytes, await whole `\n`-terminated lines,
 * observe the close. Resets are expected in limit tests, so socket errors only end it.
 */
export class LineSocket {
  readonly socket: Socket;
  /** Resolves when the connection has closed, whoever closed it. */
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

  /** Connects to `host:port` (default 127.0.0.1) and resolves once connected. */
  static open(port: number, host = '127.0.0.1'): Promise<LineSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new LineSocket(socket));
      });
    });
  }

  #push(line: string): void {
    const waiter = this.#waiter;
    if (waiter === undefined) {
      this.#lines.push(line);
      return;
    }
    this.#waiter = undefined;
    waiter(line);
  }

  /** Writes raw text or bytes. */
  send(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /**
   * The next line (without `\n`), or undefined once the connection closed with nothing left.
   * Rejects after `timeoutMs` with no line and no close.
   */
  nextLine(timeoutMs = 10_000): Promise<string | undefined> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error(`no line within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiter = (value) => {
        clearTimeout(timer);
        resolve(value);
      };
    });
  }

  /** Every line until the peer closes the connection. */
  async linesUntilClose(): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.nextLine();
      if (line === undefined) return lines;
      lines.push(line);
    }
  }

  /** Destroys the connection and waits for the close. */
  close(): Promise<void> {
    this.socket.destroy();
    return this.closed;
  }
}
