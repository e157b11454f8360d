import { describe, expect, it } from 'vitest';
import {
  DECISIONS,
  formatCommand,
  formatReply,
  parseCommand,
  parseCommandBytes,
  parseReply,
} from './codec.js';
import { WireErrorCode, ProtocolError } from './errors.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error.reason;
    throw error;
  }
  return undefined;
}

const valid: [string, unknown][] = [
  ['PARAMS 1 5', { type: 'params', lower: 1, upper: 5 }],
  ['PARAMS 0 -1', { type: 'params', lower: 0, upper: -1 }],
  ['PARAMS -10 +10', { type: 'params', lower: -10, upper: 10 }],
  ['PARAMS  1   5', { type: 'params', lower: 1, upper: 5 }],
  ['PARAMS 1 5\r', { type: 'params', lower: 1, upper: 5 }],
  ['NUMBER', { type: 'number' }],
  ['NUMBER\r', { type: 'number' }],
  ...DECISIONS.map((d): [string, unknown] => [`REPORT ${d}`, { type: 'report', decision: d }]),
];

const invalid: [string, string][] = [
  ['', WireErrorCode.UnknownCommand],
  ['   ', WireErrorCode.UnknownCommand],
  ['JUMP', WireErrorCode.UnknownCommand],
  ['number', WireErrorCode.UnknownCommand],
  ['\u0000\u00ff\u0001', WireErrorCode.UnknownCommand],
  ['PARAMS', WireErrorCode.BadArguments],
  ['PARAMS 1', WireErrorCode.BadArguments],
  ['PARAMS 1 2 3', WireErrorCode.BadArguments],
  ['PARAMS a 5', WireErrorCode.BadArguments],
  ['PARAMS 1 5.5', WireErrorCode.BadArguments],
  ['PARAMS 1 99999999999999999999', WireErrorCode.BadArguments],
  ['NUMBER 3', WireErrorCode.BadArguments],
  ['REPORT', WireErrorCode.BadArguments],
  ['REPORT warmer', WireErrorCode.BadArguments],
  ['REPORT Warmer Colder', WireErrorCode.BadArguments],
  ['REPORT toString', WireErrorCode.BadArguments],
];

describe('parseCommand', () => {
  it.each(valid)('parses %j', (line, command) => {
    expect(parseCommand(line)).toEqual(command);
  });
  it.each(invalid)('rejects %j with %s', (line, code) => {
    expect(codeOf(() => parseCommand(line))).toBe(code);
  });
  it('keeps error messages one printable ASCII line, truncated', () => {
    try {
      parseCommand(`\u0000${'x'.repeat(500)}\u00e9`);
      expect.unreachable();
    } catch (error) {
      const message = (error as ProtocolError).message;
      expect(message).toMatch(/^[\x20-\x7e]+$/);
      expect(message.length).toBeLessThan(120);
    }
  });
});

describe('parseCommandBytes', () => {
  it.each([...valid, ...invalid.map(([line]) => [line, undefined] as [string, unknown])])(
    'agrees with parseCommand on %j',
    (line) => {
      const buf = Buffer.from(`xx${line}yy`, 'latin1');
      let expected: unknown;
      let expectedCode: string | undefined;
      try {
        expected = parseCommand(line);
      } catch (error) {
        expectedCode = (error as ProtocolError).reason;
      }
      if (expectedCode === undefined) {
        expect(parseCommandBytes(buf, 2, buf.length - 2)).toEqual(expected);
      } else {
        expect(codeOf(() => parseCommandBytes(buf, 2, buf.length - 2))).toBe(expectedCode);
      }
    },
  );
});

describe('formatCommand', () => {
  it('round-trips every command', () => {
    for (const [line, command] of valid.slice(0, 2).concat(valid.slice(5, 6), valid.slice(7))) {
      const text = formatCommand(command as Parameters<typeof formatCommand>[0]);
      expect(text).toBe(line);
      expect(parseCommand(text)).toEqual(command);
    }
  });
});

describe('replies', () => {
  it('parses guesses and ERROR lines', () => {
    expect(parseReply('4')).toEqual({ type: 'number', value: 4 });
    expect(parseReply('-7')).toEqual({ type: 'number', value: -7 });
    expect(parseReply('ERROR no-game send PARAMS first')).toEqual({
      type: 'error',
      code: 'no-game',
      message: 'send PARAMS first',
    });
    expect(parseReply('ERROR exhausted')).toEqual({
      type: 'error',
      code: 'exhausted',
      message: '',
    });
  });
  it.each(['', 'four', '4.5', 'ERROR', 'ERROR not-a-code x', '99999999999999999999'])(
    'rejects %j as bad-reply',
    (line) => {
      expect(codeOf(() => parseReply(line))).toBe(WireErrorCode.BadReply);
    },
  );
  it('formats replies the way parseReply reads them', () => {
    const replies = [
      { type: 'number', value: 12 },
      { type: 'error', code: WireErrorCode.Exhausted, message: 'all 5 guessed' },
    ] as const;
    for (const reply of replies) expect(parseReply(formatReply(reply))).toEqual(reply);
    expect(formatReply({ type: 'error', code: WireErrorCode.BadArguments, message: 'a\nb' })).toBe(
      'ERROR bad-arguments a?b',
    );
  });
});
