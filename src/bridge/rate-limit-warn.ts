import type { WarnFn } from './warn.js';

/** A WarnFn that holds back repeats; `flush()` reports how many it held back. */
export interface RateLimitedWarn extends WarnFn {
  /** Reports, per code, the warnings held back since the last one that went through. */
  flush(): void;
}

/** Options of {@link rateLimitWarn}. */
export interface RateLimitWarnOptions {
  /** Per code, at most one warning goes through per interval. */
  intervalMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/**
 * Rate-limits warnings per code: the first of a code goes through, repeats within `intervalMs` are counted, and
 * the count rides on the next one that goes through (or on `flush()`). A page can post thousands of foreign
 * messages; the console gets a few lines that say how many, not one line each.
 */
export function rateLimitWarn(warn: WarnFn, options: RateLimitWarnOptions = {}): RateLimitedWarn {
  const intervalMs = options.intervalMs ?? 10_000;
  const now = options.now ?? Date.now;
  const state = new Map<string, { since: number; held: number }>();
  const limited = ((code: string, message: string) => {
    const t = now();
    const s = state.get(code);
    if (s && t - s.since < intervalMs) {
      s.held++;
      return;
    }
    const note = s && s.held > 0 ? ` (and ${s.held} more like it held back before this one)` : '';
    state.set(code, { since: t, held: 0 });
    warn(code, message + note);
  }) as RateLimitedWarn;
  limited.flush = () => {
    for (const [code, s] of state) {
      if (s.held > 0) warn(code, `${s.held} more like it held back (rate-limited)`);
      s.held = 0;
    }
  };
  return limited;
}
