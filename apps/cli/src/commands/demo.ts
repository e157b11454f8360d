import { NotAvailableError } from '../errors.js';
import type { CommandContext } from '../program.js';

export async function runDemo(_context: CommandContext): Promise<void> {
  throw new NotAvailableError('fanout demo is not available yet');
}
