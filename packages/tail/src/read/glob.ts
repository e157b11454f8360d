/** Characters that make a path segment a pattern. */
const GLOB_CHARS = /[*?[]/;

/** True when `text` has glob characters (`*`, `?`, `[`) that are not escaped. */
export function isGlob(text: string): boolean {
  return GLOB_CHARS.test(text.replace(/\\./g, ''));
}

/**
 * A file-name glob as a regular expression: `*` any run of characters, `?` one character,
 * `[abc]` / `[a-z]` / `[!abc]` a class, `\x` the character x. Never matches `/`.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\' && i + 1 < glob.length) {
      re += escapeRegExp(glob[++i] as string);
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (x) => `\\${x}`)}]`;
      i = end;
    } else {
      re += escapeRegExp(c);
    }
  }
  return new RegExp(`^${re}$`);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, (x) => `\\${x}`);
}
