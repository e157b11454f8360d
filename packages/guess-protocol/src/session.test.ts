import { describe, expect, it } from 'vitest';
import { DECISIONS, type Decision } from './codec.js';
import { decide, formatClientResult, formatServerReport } from './decide.js';
import { createRandom } from './random.js';
import { GuessSession } from './session.js';

type State = 'fresh' | 'open' | 'guessed' | 'correct' | 'cleared' | 'exhausted';

/** Brings a new session into `state` (range 1..3). */
function sessionIn(state: State): GuessSession {
  const session = new GuessSession({ random: createRandom(7) });
  const steps: Record<State, string[]> = {
    fresh: [],
    open: ['PARAMS 1 3'],
    guessed: ['PARAMS 1 3', 'NUMBER'],
    correct: ['PARAMS 1 3', 'NUMBER', 'REPORT Correct'],
    cleared: ['PARAMS 1 3', 'NUMBER', 'PARAMS 0 -1'],
    exhausted: ['PARAMS 1 3', 'NUMBER', 'NUMBER', 'NUMBER'],
  };
  for (const line of steps[state]) {
    for (const reply of session.handle(line)) expect(reply).not.toMatch(/^ERROR/);
  }
  return session;
}

const ok: string[] = [];
const guess = ['<guess>'];
const err = (code: string): string[] => [`ERROR ${code}`];

// What each command answers in each state: the table the issue asks for.
const table: Record<string, Record<State, string[]>> = {
  'PARAMS 10 20': { fresh: ok, open: ok, guessed: ok, correct: ok, cleared: ok, exhausted: ok },
  'PARAMS 0 -1': { fresh: ok, open: ok, guessed: ok, correct: ok, cleared: ok, exhausted: ok },
  'PARAMS 1 4294967297': {
    fresh: err('range-too-large'),
    open: err('range-too-large'),
    guessed: err('range-too-large'),
    correct: err('range-too-large'),
    cleared: err('range-too-large'),
    exhausted: err('range-too-large'),
  },
  NUMBER: {
    fresh: err('no-game'),
    open: guess,
    guessed: guess,
    correct: guess,
    cleared: err('no-game'),
    exhausted: err('exhausted'),
  },
  ...Object.fromEntries(
    DECISIONS.map((d) => [
      `REPORT ${d}`,
      {
        fresh: err('no-game'),
        open: err('no-guess'),
        guessed: ok,
        correct: ok,
        cleared: err('no-game'),
        exhausted: ok,
      },
    ]),
  ),
  JUMP: {
    fresh: err('unknown-command'),
    open: err('unknown-command'),
    guessed: err('unknown-command'),
    correct: err('unknown-command'),
    cleared: err('unknown-command'),
    exhausted: err('unknown-command'),
  },
  'PARAMS x y': {
    fresh: err('bad-arguments'),
    open: err('bad-arguments'),
    guessed: err('bad-arguments'),
    correct: err('bad-arguments'),
    cleared: err('bad-arguments'),
    exhausted: err('bad-arguments'),
  },
};

const cases = Object.entries(table).flatMap(([line, byState]) =>
  Object.entries(byState).map(([state, expected]) => [line, state as State, expected] as const),
);

describe('GuessSession state table', () => {
  it.each(cases)('%s in state %s', (line, state, expected) => {
    const session = sessionIn(state);
    const before = { inGame: session.inGame, count: session.guessCount, last: session.lastGuess };
    const reply = session.handle(line);
    expect(reply).toHaveLength(expected.length);
    if (expected[0] === '<guess>') {
      expect(reply[0]).toMatch(/^\d+$/);
      const value = Number(reply[0]);
      expect(value).toBeGreaterThanOrEqual(1);
      expect(value).toBeLessThanOrEqual(3);
      if (state === 'correct') expect(value).toBe(before.last);
    } else if (expected[0] !== undefined) {
      expect(reply[0]?.startsWith(`${expected[0]} `)).toBe(true);
      // A rejected command leaves the session as it was.
      expect({
        inGame: session.inGame,
        count: session.guessCount,
        last: session.lastGuess,
      }).toEqual(before);
    }
  });

  it('clears the game on PARAMS with lower > upper', () => {
    const session = sessionIn('guessed');
    session.handle('PARAMS 5 3');
    expect(session.inGame).toBe(false);
    expect(session.lower).toBeUndefined();
    expect(session.guessCount).toBe(0);
  });

  it('repeats the secret after Correct and never guesses a number twice before', () => {
    const session = new GuessSession({ random: createRandom(3) });
    session.handle('PARAMS 1 50');
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const n = Number(session.handle('NUMBER')[0]);
      expect(seen.has(n)).toBe(false);
      seen.add(n);
    }
    expect(session.handle('NUMBER')[0]).toMatch(/^ERROR exhausted /);
    session.handle('PARAMS 1 50');
    const first = Number(session.handle('NUMBER')[0]);
    session.handle('REPORT Correct');
    expect(session.secret).toBe(first);
    expect(session.handle('NUMBER')).toEqual([String(first)]);
    expect(session.handle('NUMBER')).toEqual([String(first)]);
  });

  it('accepts a one-number range and a negative range', () => {
    const session = new GuessSession();
    session.handle('PARAMS 7 7');
    expect(session.handle('NUMBER')).toEqual(['7']);
    expect(session.handle('NUMBER')[0]).toMatch(/^ERROR exhausted/);
    session.handle('PARAMS -3 -1');
    expect(Number(session.handle('NUMBER')[0])).toBeLessThan(0);
  });

  it('honours maxRange and rejects bad options', () => {
    const session = new GuessSession({ maxRange: 10 });
    expect(session.handle('PARAMS 1 10')).toEqual([]);
    expect(session.handle('PARAMS 1 11')[0]).toMatch(/^ERROR range-too-large /);
    expect(() => new GuessSession({ maxRange: 0 })).toThrow(RangeError);
    expect(() => new GuessSession({ strategy: 'magic' as 'random' })).toThrow(TypeError);
  });

  it('is deterministic with an injected random source', () => {
    const run = (): string[] => {
      const session = new GuessSession({ random: createRandom(99) });
      session.handle('PARAMS 1 1000');
      return Array.from({ length: 20 }, () => session.handle('NUMBER')[0]!);
    };
    expect(run()).toEqual(run());
  });
});

/** The seed's client run against a session, without sockets. */
function chapterTranscript(session: GuessSession): { server: string[]; client: string[] } {
  const server: string[] = [];
  const client: string[] = [];
  for (const [lower, upper, secret] of [
    [1, 5, 3],
    [10, 15, 12],
  ] as const) {
    expect(session.handle(`PARAMS ${lower} ${upper}`)).toEqual([]);
    let last: number | undefined;
    for (let i = 0; i < 5; i++) {
      const n = Number(session.handle('NUMBER')[0]);
      expect(n).toBeGreaterThanOrEqual(lower);
      expect(n).toBeLessThanOrEqual(upper);
      const decision: Decision = decide(n, secret, last);
      last = Math.abs(n - secret);
      expect(session.handle(`REPORT ${decision}`)).toEqual([]);
      server.push(formatServerReport(n, decision));
      client.push(formatClientResult(n, decision));
      if (last === 0) break;
    }
    expect(session.handle('PARAMS 0 -1')).toEqual([]);
  }
  return { server, client };
}

describe("the seed's transcript", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('has the seed shape with random seed %i', (seed) => {
    const { server, client } = chapterTranscript(new GuessSession({ random: createRandom(seed) }));
    expect(client).toEqual(server.map((line) => line.replace('Server:', 'Client:')));
    for (const line of server)
      expect(line).toMatch(/^Server: \d+ is (Warmer|Colder|Unsure|Correct)$/);
  });

  it('plays both seed sessions to Correct with bisect', () => {
    const { server } = chapterTranscript(new GuessSession({ strategy: 'bisect' }));
    expect(server.filter((line) => line.endsWith('Correct'))).toEqual([
      'Server: 3 is Correct',
      'Server: 12 is Correct',
    ]);
  });
});
