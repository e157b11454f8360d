import { MACROCELL_HEADER, type Macrocell } from '../../formats/macrocell.js';
import type { LifeRule } from '../../rule.js';
import type { Universe } from './universe.js';

/** Replace the universe's world by a macrocell tree (and take its generation). */
export function loadMacrocell(u: Universe, mc: Macrocell): void {
  const s = u.store;
  const { count, levels, children, leafRows } = mc.nodes;
  const ids = new Int32Array(count);
  u.release();
  try {
    for (let i = 0; i < count; i++) {
      const level = levels[i]!;
      if (level === 3) {
        let nw = 0;
        let ne = 0;
        let sw = 0;
        let se = 0;
        for (let y = 0; y < 4; y++) {
          const top = leafRows[i * 8 + y]!;
          const bottom = leafRows[i * 8 + y + 4]!;
          nw |= (top & 15) << (4 * y);
          ne |= ((top >> 4) & 15) << (4 * y);
          sw |= (bottom & 15) << (4 * y);
          se |= ((bottom >> 4) & 15) << (4 * y);
        }
        ids[i] = u.hold(s.find(3, nw, ne, sw, se));
      } else {
        const kid = (k: number): number => {
          const ref = children[i * 4 + k]!;
          return ref === 0 ? s.emptyAt(level - 1) : ids[ref - 1]!;
        };
        ids[i] = u.hold(s.find(level, kid(0), kid(1), kid(2), kid(3)));
      }
    }
    u.root = count === 0 ? s.emptyAt(3) : ids[count - 1]!;
  } finally {
    u.release();
  }
  u.generation = mc.generation;
  u.shrink();
}

/** The universe's world as a macrocell tree, nodes in Golly's order (children first). */
export function saveMacrocell(u: Universe, rule: LifeRule, comments: readonly string[]): Macrocell {
  const s = u.store;
  const index = new Map<number, number>();
  const levels: number[] = [];
  const children: number[] = [];
  const rows: number[] = [];
  const visit = (node: number): number => {
    if (s.pop[node >> 3] === 0) return 0;
    const known = index.get(node);
    if (known !== undefined) return known;
    const level = s.d[node + 6]!;
    let kids: number[];
    if (level === 3) {
      kids = [0, 0, 0, 0];
      const nw = s.d[node]!;
      const ne = s.d[node + 1]!;
      const sw = s.d[node + 2]!;
      const se = s.d[node + 3]!;
      for (let y = 0; y < 4; y++) {
        rows.push(((nw >> (4 * y)) & 15) | (((ne >> (4 * y)) & 15) << 4));
      }
      for (let y = 0; y < 4; y++) {
        rows.push(((sw >> (4 * y)) & 15) | (((se >> (4 * y)) & 15) << 4));
      }
    } else {
      kids = [
        visit(s.d[node]!),
        visit(s.d[node + 1]!),
        visit(s.d[node + 2]!),
        visit(s.d[node + 3]!),
      ];
      for (let r = 0; r < 8; r++) rows.push(0);
    }
    levels.push(level);
    children.push(...kids);
    const number = levels.length;
    index.set(node, number);
    return number;
  };
  // Golly's files always end with a branch node: write a lone leaf as a level-4 root.
  if (u.level === 3) u.expand();
  visit(u.root);
  u.shrink();
  return {
    header: MACROCELL_HEADER,
    rule,
    generation: u.generation,
    comments: [...comments],
    nodes: {
      count: levels.length,
      levels: Uint8Array.from(levels),
      children: Int32Array.from(children),
      leafRows: Uint8Array.from(rows),
    },
  };
}
