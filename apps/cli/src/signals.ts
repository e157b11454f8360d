/**
 * SIGINT/SIGTERM handling: the first signal aborts the running command through an
 * AbortSignal so it can close servers, flush output and write checkpoints; the process
 * then exits 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once.
 */
import { ExitCode, InterruptedError } from './errors.js';

/** The exit code for a received signal: 128 + its number. */
export function signalExitCode(signalName: 'SIGINT' | 'SIGTERM'): number {
  return signalName === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm;
}

/** Handle to the process-wide signal listeners. */
export interface SignalScope {
  /** Aborted with an {@link InterruptedError} on the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  received(): 'SIGINT' | 'SIGTERM' | undefined;
  /** Removes the listeners. */
  dispose(): void;
}

/**
 * Installs SIGINT/SIGTERM listeners. `forceExitMs` bounds how long cleanup may take after
 * the first signal before the process exits anyway (the timer does not keep it alive).
 */
export function installSignalHandlers(forceExitMs = 3000): SignalScope {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => {
    if (received) {
      process.exit(signalExitCode(name));
    }
    received = name;
    controller.abort(new InterruptedError(name));
    setTimeout(() => process.exit(signalExitCode(name)), forceExitMs).unref();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/**
 * Resolves when `signal` aborts (never rejects). Used by long-running commands that simply
 * run until interrupted.
 */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
