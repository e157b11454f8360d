import { NotAvailableError } from '../errors.js';
import type { CommandContext } from '../program.js';

export async function runLife(
  options: Record<string, unknown>,
  _command: unknown,
  _context: CommandContext,
): Promise<void> {
  throw new NotAvailableError('fanout life is not available yet');
}
