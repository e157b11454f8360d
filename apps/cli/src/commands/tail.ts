import { NotAvailableError } from '../errors.js';
import type { CommandContext } from '../program.js';

export async function runTail(
  files: string[],
  options: Record<string, unknown>,
  _context: CommandContext,
): Promise<void> {
  throw new NotAvailableError('fanout tail is not available yet');
}
