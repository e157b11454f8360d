import { WireErrorCode, isWireErrorCode, ProtocolError } from './errors.js';

/** The client's verdict on a guess, as sent in `REPORT <decision>`. */
export type Decision = 'Warmer' | 'Colder' | 'Unsure' | 'Correct';

/** Every {@link Decision}, in the seed's order of definition. */
export const DECISIONS: readonly Decision[] = Object.freeze([
  'Warmer',
  'Colder',
  'Unsure',
  'Correct',
]);

/** A client → server command. */
export type Command =
  | { readonly type: 'params'; readonly lower: number; readonly upper: number }
  | { readonly type: 'number' }
  | { readonly type: 'report'; readonly decision: Decision };

/** A server → client line: a guess, or an `ERROR` line (our extension). */
export type Reply =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'error'; readonly code: WireErrorCode; readonly message: string };

const NUMBER_COMMAND: Command = Object.freeze({ type: 'number' });
const REPORT_COMMANDS: Readonly<Record<Decision, Command>> = Object.freeze({
  Warmer: Object.freeze({ type: 'report', decision: 'Warmer' }),
  Colder: Object.freeze({ type: 'report', decision: 'Colder' }),
  Unsure: Object.freeze({ type: 'report', decision: 'Unsure' }),
  Correct: Object.freeze({ type: 'report', decision: 'Correct' }),
});
const INTEGER = /^[+-]?\d+$/;

/** Makes untrusted input safe to echo in a one-line ASCII message. */
export function describeInput(text: string, max = 40): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

function parseInteger(word: string, what: string, line: string): number {
  if (!INTEGER.test(word)) {
    throw new ProtocolError(
      WireErrorCode.BadArguments,
      `${what} "${describeInput(word)}" is not an integer`,
      { line: describeInput(line) },
    );
  }
  const value = Number(word);
  if (!Number.isSafeInteger(value)) {
    throw new ProtocolError(
      WireErrorCode.BadArguments,
      `${what} ${describeInput(word)} is outside the safe integer range`,
      { line: describeInput(line) },
    );
  }
  return value;
}

/**
 * Parses one client line (without its `\n`; a trailing `\r` is ignored). Words may be
 * separated by runs of spaces, which the seed would reject; everything else is as strict
 * as the seed.
 *
 * @throws {ProtocolError} `unknown-command` or `bad-arguments`.
 * @example
 * ```ts
 * parseCommand('PARAMS 1 5'); // { type: 'params', lower: 1, upper: 5 }
 * parseCommand('REPORT Warmer'); // { type: 'report', decision: 'Warmer' }
 * ```
 */
export function parseCommand(line: string): Command {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const words = text.split(' ').filter((word) => word !== '');
  const [verb, ...args] = words;
  switch (verb) {
    case 'PARAMS': {
      if (args.length !== 2) {
        throw new ProtocolError(
          WireErrorCode.BadArguments,
          `PARAMS takes 2 arguments (lower upper), got ${args.length}`,
          { line: describeInput(text) },
        );
      }
      const lower = parseInteger(args[0]!, 'lower', text);
      const upper = parseInteger(args[1]!, 'upper', text);
      return { type: 'params', lower, upper };
    }
    case 'NUMBER':
      if (args.length !== 0) {
        throw new ProtocolError(
          WireErrorCode.BadArguments,
          `NUMBER takes no arguments, got ${args.length}`,
          { line: describeInput(text) },
        );
      }
      return NUMBER_COMMAND;
    case 'REPORT': {
      const decision = args[0];
      if (
        args.length !== 1 ||
        decision === undefined ||
        !Object.hasOwn(REPORT_COMMANDS, decision)
      ) {
        throw new ProtocolError(
          WireErrorCode.BadArguments,
          `REPORT takes one of ${DECISIONS.join('|')}, got "${describeInput(args.join(' '))}"`,
          { line: describeInput(text) },
        );
      }
      return REPORT_COMMANDS[decision as Decision];
    }
    default:
      throw new ProtocolError(
        WireErrorCode.UnknownCommand,
        verb === undefined
          ? 'empty line'
          : `unknown command "${describeInput(verb)}" (expected PARAMS, NUMBER or REPORT)`,
        { line: describeInput(text) },
      );
  }
}

/**
 * Serializes a command as one line, without the trailing `\n`.
 *
 * @example
 * ```ts
 * formatCommand({ type: 'params', lower: 0, upper: -1 }); // 'PARAMS 0 -1'
 * ```
 */
export function formatCommand(command: Command): string {
  switch (command.type) {
    case 'params':
      return `PARAMS ${command.lower} ${command.upper}`;
    case 'number':
      return 'NUMBER';
    case 'report':
      return `REPORT ${command.decision}`;
  }
}

/**
 * Parses one server line (without its `\n`).
 *
 * @throws {ProtocolError} `bad-reply` when the line is neither an integer nor an ERROR line.
 * @example
 * ```ts
 * parseReply('4'); // { type: 'number', value: 4 }
 * parseReply('ERROR no-game send PARAMS first'); // { type: 'error', code: 'no-game', ... }
 * ```
 */
export function parseReply(line: string): Reply {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (INTEGER.test(text)) {
    const value = Number(text);
    if (Number.isSafeInteger(value)) return { type: 'number', value };
  } else if (text.startsWith('ERROR ')) {
    const rest = text.slice(6);
    const space = rest.indexOf(' ');
    const code = space === -1 ? rest : rest.slice(0, space);
    const message = space === -1 ? '' : rest.slice(space + 1);
    if (isWireErrorCode(code)) return { type: 'error', code, message };
  }
  throw new ProtocolError(WireErrorCode.BadReply, `unreadable reply "${describeInput(text)}"`, {
    line: describeInput(text),
  });
}

/**
 * Serializes a reply as one line, without the trailing `\n`.
 *
 * @example
 * ```ts
 * formatReply({ type: 'error', code: 'no-game', message: 'send PARAMS first' });
 * // 'ERROR no-game send PARAMS first'
 * ```
 */
export function formatReply(reply: Reply): string {
  if (reply.type === 'number') return String(reply.value);
  return `ERROR ${reply.code} ${describeInput(reply.message, 200)}`;
}

const CH_SPACE = 0x20;
const CH_MINUS = 0x2d;
const CH_0 = 0x30;
const NUMBER_BYTES = Buffer.from('NUMBER');
const REPORT_PREFIX = Buffer.from('REPORT ');
const PARAMS_PREFIX = Buffer.from('PARAMS ');
const DECISION_BYTES = DECISIONS.map((decision) => [decision, Buffer.from(decision)] as const);

/** True when buf[start, end) begins with `prefix` (a byte loop: cheaper than a native call for a few bytes). */
function startsWith(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  const length = prefix.length;
  if (end - start < length) return false;
  for (let i = 0; i < length; i++) if (buf[start + i] !== prefix[i]) return false;
  return true;
}

/** Reads `[-]digits` (at most 15 digits) from buf[start, end); -1 as `next` when malformed. */
function readInt(buf: Buffer, start: number, end: number): { value: number; next: number } {
  let i = start;
  let sign = 1;
  if (i < end && buf[i] === CH_MINUS) {
    sign = -1;
    i++;
  }
  const digitsStart = i;
  let value = 0;
  while (i < end) {
    const d = buf[i]! - CH_0;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    i++;
  }
  const digits = i - digitsStart;
  if (digits === 0 || digits > 15) return { value: 0, next: -1 };
  return { value: sign * value, next: i };
}

/**
 * Parses one line straight from bytes (buf[start, end), without `\n`). The usual forms are
 * read without creating strings; anything else goes through {@link parseCommand} so errors
 * read the same.
 *
 * @throws {ProtocolError} as {@link parseCommand}.
 */
export function parseCommandBytes(buf: Buffer, start: number, end: number): Command {
  let stop = end;
  if (stop > start && buf[stop - 1] === 0x0d) stop--;
  const length = stop - start;
  if (length === NUMBER_BYTES.length && startsWith(buf, start, stop, NUMBER_BYTES)) {
    return NUMBER_COMMAND;
  }
  if (startsWith(buf, start, stop, REPORT_PREFIX)) {
    const from = start + REPORT_PREFIX.length;
    for (const [decision, bytes] of DECISION_BYTES) {
      if (stop - from === bytes.length && startsWith(buf, from, stop, bytes)) {
        return REPORT_COMMANDS[decision];
      }
    }
  } else if (startsWith(buf, start, stop, PARAMS_PREFIX)) {
    const lower = readInt(buf, start + PARAMS_PREFIX.length, stop);
    if (lower.next !== -1 && lower.next < stop && buf[lower.next] === CH_SPACE) {
      const upper = readInt(buf, lower.next + 1, stop);
      if (upper.next === stop) return { type: 'params', lower: lower.value, upper: upper.value };
    }
  }
  return parseCommand(buf.toString('latin1', start, stop));
}
