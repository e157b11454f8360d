/**
 * The `--engine` names of `fanout life` (CLI.md: `cells`, `bitwise`, `workers`, and
 * `hashlife`, `unbounded` for unbounded worlds) and the grid package's engine kinds they
 * stand for. Imports nothing at run time, so the command tree
 * (program.ts) takes its choices from here without loading the grid package.
 */
import type { EngineKind } from '@fanout/grid';

/** `--engine` value → engine kind. The names are the CLI contract; the kinds are grid's. */
export const ENGINE_FLAG_KINDS = {
  cells: 'per-cell',
  bitwise: 'bitwise',
  workers: 'workers',
  hashlife: 'hashlife',
  unbounded: 'unbounded',
} as const satisfies Record<string, EngineKind>;

/** A `--engine` value. */
export type EngineFlag = keyof typeof ENGINE_FLAG_KINDS;

/** The `--engine` values, in the order `--help` lists them. */
export const ENGINE_FLAGS = Object.keys(ENGINE_FLAG_KINDS) as EngineFlag[];

/** The name output uses for an engine kind (`"engine"` in `--json`): the flag's name. */
export function engineName(kind: EngineKind): string {
  for (const [flag, flagKind] of Object.entries(ENGINE_FLAG_KINDS)) {
    if (flagKind === kind) return flag;
  }
  return kind;
}
