import type { Decision } from './codec.js';

/**
 * The seed client's rule for judging a guess: distance `|number - secret|`; 0 is `Correct`;
 * with no previous distance `Unsure`; smaller than the last `Warmer`; larger `Colder`;
 * equal `Unsure`.
 *
 * @example
 * ```ts
 * decide(4, 3, undefined); // 'Unsure'
 * decide(1, 3, 1);         // 'Colder'
 * ```
 */
export function decide(number: number, secret: number, lastDistance: number | undefined): Decision {
  const distance = Math.abs(number - secret);
  if (distance === 0) return 'Correct';
  if (lastDistance === undefined) return 'Unsure';
  if (distance < lastDistance) return 'Warmer';
  if (distance > lastDistance) return 'Colder';
  return 'Unsure';
}

/** The seed server's line for a report: `Server: 4 is Unsure`. */
export function formatServerReport(number: number, decision: Decision): string {
  return `Server: ${number} is ${decision}`;
}

/** The seed client's line for a result: `Client: 4 is Unsure`. */
export function formatClientResult(number: number, decision: Decision): string {
  return `Client: ${number} is ${decision}`;
}

/** The seed's announcement at the start of a session: `Guess a number between 1 and 5! Shhhhh, it's 3.` */
export function formatSessionStart(lower: number, upper: number, secret: number): string {
  return `Guess a number between ${lower} and ${upper}! Shhhhh, it's ${secret}.`;
}
