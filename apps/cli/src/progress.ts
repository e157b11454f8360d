/**
 * A tiny progress line on stderr: a spinner, a label and an optional fraction. It draws only
 * when enabled (stderr is a terminal that can draw, and the command is not in --json mode);
 * otherwise every call is a no-op, so commands can report progress unconditionally. It uses
 * no colour, so `NO_COLOR` has nothing to turn off.
 */

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A progress line a command updates while it works. */
export interface Progress {
  /** Sets the text (and optionally done/total for a percentage). */
  update(text: string, done?: number, total?: number): void;
  /** Erases the line and stops drawing. Idempotent. */
  stop(): void;
}

/**
 * Whether progress should be drawn: output is not JSON, stderr is a terminal, and that
 * terminal can move its cursor (`TERM=dumb` cannot: a spinner there is a stream of junk).
 */
export function progressEnabled(json: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return !json && process.stderr.isTTY === true && env.TERM !== 'dumb';
}

/** Starts a progress line; a no-op object when `enabled` is false. */
export function startProgress(label: string, enabled: boolean): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const stream = process.stderr;
  let text = label;
  let frame = 0;
  let stopped = false;
  const draw = () => {
    const spinner = FRAMES[frame++ % FRAMES.length];
    const columns = stream.columns > 10 ? stream.columns - 1 : 79;
    stream.write(`\r\x1b[2K${spinner} ${text}`.slice(0, columns + 5));
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  draw();
  return {
    update(next, done, total) {
      const percent =
        done !== undefined && total
          ? ` ${Math.floor((100 * done) / total)}% (${done}/${total})`
          : '';
      text = `${label}: ${next}${percent}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}
