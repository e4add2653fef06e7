import { LwayError } from '../core/index.js';

/**
 * One readable line for the user: the message and, for our errors, the code. Never a stack; a message of several
 * lines (a library's) is joined into one.
 */
export function formatCliError(err: unknown): string {
  if (err instanceof LwayError) return `lway: error [${err.code}]: ${oneLine(err.message)}`;
  if (err instanceof Error) return `lway: error: ${oneLine(err.message)}`;
  return `lway: error: ${oneLine(String(err))}`;
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
}
