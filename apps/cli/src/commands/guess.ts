import { NotAvailableError } from '../errors.js';
import type { CommandContext } from '../program.js';

export async function runGuessServe(
  _o: Record<string, unknown>,
  _c: CommandContext,
): Promise<void> {
  throw new NotAvailableError('fanout guess serve is not available yet');
}
export async function runGuessPlay(_o: Record<string, unknown>, _c: CommandContext): Promise<void> {
  throw new NotAvailableError('fanout guess play is not available yet');
}
export async function runGuessLoad(_o: Record<string, unknown>, _c: CommandContext): Promise<void> {
  throw new NotAvailableError('fanout guess load is not available yet');
}
