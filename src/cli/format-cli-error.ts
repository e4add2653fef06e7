import { LwayError } from '../core/errors.js';

/** One readable line for the user: the message and, for our errors, the code. Never a stack. */
export function formatCliError(err: unknown): string {
  if (err instanceof LwayError) return `lway: error [${err.code}]: ${err.message}`;
  if (err instanceof Error) return `lway: error: ${err.message}`;
  return `lway: error: ${String(err)}`;
}
