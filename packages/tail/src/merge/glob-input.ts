import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { type DirSubscription, subscribe } from '../read/dir-watch.js';
import { globToRegExp, isGlob } from '../read/glob.js';
import { DEFAULT_ROTATED, SiblingMatcher } from '../read/siblings.js';

/** Options of a glob input. */
export interface GlobInputOptions {
  /** Names matching any of these are left. */
  exclude?: readonly string[];
  /** A file not modified for this long when seen is left (until it changes). */
  ignoreOlderMs?: number;
  /** Rotated-sibling patterns: a match that is another match's rotated generation is not an input. */
  rotated?: readonly string[];
}

/**
 * A quoted pattern such as `logs/*.log`, expanded by us: the files that match now, and with
 * `watch` those that appear later (the directory's shared watch, or polling without one).
 * Glob characters are allowed in the file name only. A match that is a rotated sibling of
 * another match (`app.log.1` beside `app.log` for `logs/*`) is that one's generation, not an
 * input of its own.
 */
export class GlobInput {
  readonly pattern: string;
  readonly dir: string;
  readonly #name: RegExp;
  readonly #exclude: RegExp[];
  readonly #options: GlobInputOptions;
  #sub: DirSubscription | undefined;

  constructor(pattern: string, options: GlobInputOptions = {}) {
    this.pattern = pattern;
    this.dir = dirname(pattern);
    if (isGlob(this.dir)) {
      const why = new Error('glob characters are only allowed in the file name');
      throw new InputError(pattern, 'expand', why);
    }
    this.#name = globToRegExp(basename(pattern));
    this.#exclude = (options.exclude ?? []).map((g) => globToRegExp(basename(g)));
    this.#options = options;
  }

  /** True when `path` (as this input names its matches) is one of its matches by name. */
  matches(path: string): boolean {
    const name = basename(path);
    return (
      dirname(path) === this.dir &&
      this.#name.test(name) &&
      !this.#exclude.some((re) => re.test(name))
    );
  }

  /** The matching files now, as paths (`dir/name`), without rotated siblings of other matches. */
  async expand(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      throw new InputError(this.pattern, 'expand', e);
    }
    const matching = names.filter((n) => this.matches(join(this.dir, n)));
    const set = new Set(matching);
    const rotated = this.#options.rotated ?? DEFAULT_ROTATED;
    const out: string[] = [];
    const cutoff =
      this.#options.ignoreOlderMs === undefined
        ? undefined
        : Date.now() - this.#options.ignoreOlderMs;
    for (const name of matching) {
      if (isSiblingOfAnother(name, set, rotated)) continue;
      const path = join(this.dir, name);
      if (cutoff !== undefined) {
        const st = await stat(path).catch(() => undefined);
        if (!st || st.mtimeMs < cutoff) continue;
      }
      out.push(path);
    }
    return out.sort();
  }

  /**
   * Calls `onChange` when a name in the directory appears, vanishes or changes; appends to
   * a file that is followed already (the usual event) are left out.
   */
  watch(onChange: (name: string | null) => void): DirSubscription {
    this.#sub?.close();
    this.#sub = subscribe(this.dir, null, (type, name, followed) => {
      if (type === 'change' && followed) return;
      onChange(name);
    });
    return this.#sub;
  }

  close(): void {
    this.#sub?.close();
    this.#sub = undefined;
  }
}

/** `name` is a rotated sibling of another name in `set` (`a.log.1` of `a.log`). */
function isSiblingOfAnother(name: string, set: ReadonlySet<string>, rotated: readonly string[]) {
  for (let i = 1; i < name.length; i++) {
    const c = name[i];
    if (c !== '.' && c !== '-') continue;
    const base = name.slice(0, i);
    if (set.has(base) && new SiblingMatcher(base, rotated).match(name)) return true;
  }
  return false;
}
