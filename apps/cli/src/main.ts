/**
 * The `fanout` run, loaded by bin.ts: one error boundary around the command tree. User
 * errors exit 2 with one line on stderr, other failures exit 1, signals exit 130/143.
 */
import { CommanderError } from 'commander';
import { describeError, ExitCode } from './errors.js';
import { createProgram } from './program.js';
import { installSignalHandlers, signalExitCode } from './signals.js';

/** Runs the command line and exits with its code. */
export function run(): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${describeError(error).message}\n`);
      process.exit(ExitCode.failure);
    },
  );
}

async function main(): Promise<number> {
  const scope = installSignalHandlers();
  // A closed pipe (`fanout tail … | head`) ends the run quietly instead of crashing.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    process.exit(error.code === 'EPIPE' ? ExitCode.ok : ExitCode.failure);
  });
  let exitCode: number = ExitCode.ok;
  try {
    await createProgram({ signal: scope.signal }).parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its one-line message or the help text.
      exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    } else if (!scope.received()) {
      const report = describeError(error);
      process.stderr.write(`error: ${report.message}\n`);
      exitCode = report.exitCode;
    }
  }
  const received = scope.received();
  return received ? signalExitCode(received) : exitCode;
}
