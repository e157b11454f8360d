/**
 * `@fanout/guess-protocol/constants`: the package's plain values, with no code behind them,
 * so that option lists (the CLI's `--strategy` choices) need not load the server.
 */

/** How the server picks its guesses. */
export type Strategy = 'random' | 'bisect';

/** The strategies, for option validation. */
export const STRATEGIES: readonly Strategy[] = Object.freeze(['random', 'bisect']);
