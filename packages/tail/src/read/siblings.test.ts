import { describe, expect, it } from 'vitest';
import { DEFAULT_ROTATED, SiblingMatcher } from './siblings.js';

describe('SiblingMatcher', () => {
  it("takes the default schemes' rotated names and nothing else", () => {
    const m = new SiblingMatcher('a.log', DEFAULT_ROTATED);
    expect(m.match('a.log.1')).toEqual({ name: 'a.log.1', rank: [1], compressed: false });
    expect(m.match('a.log-20261201')?.rank).toEqual([20261201]);
    expect(m.match('a.log.2.gz')).toEqual({ name: 'a.log.2.gz', rank: [2], compressed: true });
    for (const other of ['a.log', 'b.log.1', 'xa.log.1', 'a.logx', 'a.lo.1']) {
      expect(m.match(other)).toBeUndefined();
    }
  });

  it('still matches patterns that do not start with the name', () => {
    const m = new SiblingMatcher('a.log', ['old-{name}', '{name}.*']);
    expect(m.match('old-a.log')?.name).toBe('old-a.log');
    expect(m.match('a.log.3')?.rank).toEqual([3]);
    expect(m.match('old-b.log')).toBeUndefined();
  });

  it('matches nothing with no patterns', () => {
    expect(new SiblingMatcher('a.log', []).match('a.log.1')).toBeUndefined();
  });
});
