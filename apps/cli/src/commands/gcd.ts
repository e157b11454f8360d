import { NotAvailableError } from '../errors.js';
import type { CommandContext } from '../program.js';

export async function runGcd(
  options: Record<string, unknown>,
  _context: CommandContext,
): Promise<void> {
  throw new NotAvailableError('fanout gcd is not available yet');
}
