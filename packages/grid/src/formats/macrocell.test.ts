import { readFileSync } from 'node:fs';
import { seededRandom } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { getBuiltinPattern } from './builtins.js';
import { createHashLifeEngine } from '../engines/hashlife/hashlife-engine.js';
import { PatternSyntaxError, PatternTooLargeError } from '../errors.js';
import type { XY } from '../grid.js';
import { formatRule, parseRule } from '../rule.js';
import { detectPatternFormat, parsePattern } from './detect.js';
import {
  formatMacrocell,
  MACROCELL_HEADER,
  macrocellToPattern,
  parseMacrocell,
} from './macrocell.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../engines/hashlife/fixtures/${name}`, import.meta.url), 'utf8');
const key = (cells: readonly XY[]): string => cells.map(([x, y]) => `${x},${y}`).join(' ');
const normalise = (cells: readonly XY[]): string => {
  const minX = Math.min(...cells.map(([x]) => x));
  const minY = Math.min(...cells.map(([, y]) => y));
  return key(cells.map(([x, y]): XY => [x - minX, y - minY]));
};

describe('macrocell', () => {
  it('round trip: write, read, same world, same generation, same text', async () => {
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const cells: XY[] = [];
      for (let i = 0; i < 300; i++) {
        cells.push([Math.floor(random() * 300) - 150, Math.floor(random() * 300) - 150]);
      }
      const rule = parseRule(['B3/S23', 'B36/S23', 'B3678/S34678'][seed - 1]!);
      await using engine = createHashLifeEngine(cells, { rule });
      await engine.step(seed * 97);
      const text = formatMacrocell(engine.toMacrocell(['#C made by a test', '#N soup']));
      const read = parseMacrocell(text);
      expect(read.generation).toBe(BigInt(seed * 97));
      expect(formatRule(read.rule!)).toBe(formatRule(rule));
      expect(read.comments).toEqual(['#C made by a test', '#N soup']);
      expect(formatMacrocell(read)).toBe(text);
      await using again = createHashLifeEngine(read);
      expect(again.exactGeneration).toBe(engine.exactGeneration);
      expect(formatRule(again.rule)).toBe(formatRule(rule));
      expect(key(again.liveCells())).toBe(key(engine.liveCells()));
      // And the world goes on the same from there.
      await Promise.all([engine.step(50), again.step(50)]);
      expect(key(again.liveCells())).toBe(key(engine.liveCells()));
    }
  });

  it('loads a file written by Golly (bgolly 3.3) and writes it back byte for byte', async () => {
    const text = fixture('gosper-gun-gen1000.golly.mc');
    const mc = parseMacrocell(text, { fileName: 'gosper-gun-gen1000.golly.mc' });
    expect(mc.header).toBe('[M2] (golly 3.3)');
    expect(mc.generation).toBe(1000n);
    expect(formatRule(mc.rule!)).toBe('B3/S23');
    expect(formatMacrocell(mc)).toBe(text);
    await using engine = createHashLifeEngine(mc);
    expect(engine.exactGeneration).toBe(1000n);
    // bgolly -h -m 1000 reports 213 cells for the gun at generation 1000.
    expect(engine.population()).toBe(213);
    await using ours = createHashLifeEngine(getBuiltinPattern('gosper-gun'));
    await ours.step(1000);
    expect(normalise(engine.liveCells())).toBe(normalise(ours.liveCells()));
    await Promise.all([engine.step(1000), ours.step(1000)]);
    expect(normalise(engine.liveCells())).toBe(normalise(ours.liveCells()));
  });

  it("uses Golly's coordinates: a root of level L spans [-2^(L-1), 2^(L-1))", async () => {
    // Written by bgolly for a glider: the root is level 4, cells in its ne and se quadrants.
    const mc = parseMacrocell('[M2] (golly 3.3)\n#R B3/S23\n$$$$$$$.*$\n..*$***$\n4 0 1 0 2\n');
    await using engine = createHashLifeEngine(mc);
    expect(engine.liveCells()).toEqual([
      [1, -1],
      [2, 0],
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    expect(formatMacrocell(engine.toMacrocell())).toBe(
      `${MACROCELL_HEADER}\n#R B3/S23\n$$$$$$$.*$\n..*$***$\n4 0 1 0 2\n`,
    );
  });

  it('writes and reads an empty world', async () => {
    await using engine = createHashLifeEngine([]);
    const text = formatMacrocell(engine.toMacrocell());
    await using again = createHashLifeEngine(parseMacrocell(text));
    expect(again.population()).toBe(0);
  });

  it.each([
    ['x = 3, y = 3\nbo$2bo$3o!\n', 1, 'expected a macrocell header'],
    ['[M2]\n..*$\n5 0 0 0 1\n', 3, 'child 1 has level 3, expected 4'],
    ['[M2]\n4 0 0 0 1\n', 2, 'child 1 is not an earlier node'],
    ['[M2]\n..x$\n', 2, 'unexpected "x" in a leaf'],
    ['[M2]\n.........*$\n', 2, 'at most 8 cells'],
    ['[M2]\n1 0 1 1 0\n', 2, 'multi-state'],
    ['[M2]\n#R B9/S23\n', 2, 'bad rule "B9/S23"'],
    ['[M2]\n#G soon\n', 2, 'generation "soon" is not a whole number'],
    ['[M2]\n4 0 0 0\n', 2, 'expected a leaf'],
  ])('rejects %j at line %i: %s', (text, line, problem) => {
    let error: unknown;
    try {
      parseMacrocell(text, { fileName: 'bad.mc' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PatternSyntaxError);
    expect(error).toMatchObject({ line, fileName: 'bad.mc', code: 'FANOUT_PATTERN_SYNTAX' });
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message).toMatch(/^bad\.mc:\d+:\d+: /);
  });
});

describe('macrocell as a pattern (for the other engines)', () => {
  it('parsePattern detects [M2] and lists the cells, with Golly position and generation', async () => {
    const text = fixture('gosper-gun-gen1000.golly.mc');
    expect(detectPatternFormat(text)).toBe('macrocell');
    const pattern = parsePattern(text, { fileName: 'gun.mc' });
    expect(pattern.liveCells.length).toBe(213);
    expect(pattern.generation).toBe(1000n);
    await using engine = createHashLifeEngine(parseMacrocell(text));
    const b = engine.bounds()!;
    expect(pattern.position).toEqual([b.x, b.y]);
    expect([pattern.width, pattern.height]).toEqual([b.width, b.height]);
    expect(key(pattern.liveCells)).toBe(
      key(engine.window(b.x, b.y, b.width, b.height).liveCells()),
    );
  });

  it('keeps #N, #O and #C as name, author and comments', () => {
    const pattern = macrocellToPattern(
      parseMacrocell('[M2] (x)\n#N gun\n#O someone\n#C hello\n#X other\n..*$\n4 0 0 0 1\n'),
    );
    expect(pattern).toMatchObject({
      name: 'gun',
      author: 'someone',
      comments: ['hello'],
      extraLines: ['#X other'],
    });
  });

  it('refuses more live cells than maxLiveCells with PatternTooLargeError', () => {
    const text = fixture('gosper-gun-gen1000.golly.mc');
    expect(() => parsePattern(text, { fileName: 'gun.mc', maxLiveCells: 100 })).toThrow(
      PatternTooLargeError,
    );
  });
});
