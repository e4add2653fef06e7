// rateLimitWarn: a flood of one warning code becomes one line per interval, and the count of what was held back
// rides on the next line through (or on flush); other codes are not held back by it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateLimitWarn } from '../../src/bridge/rate-limit-warn.js';

test('one warning per code per interval, with the count of those held back', () => {
  let t = 0;
  const out: string[] = [];
  const warn = rateLimitWarn((code, message) => out.push(`${code}: ${message}`), {
    intervalMs: 1000,
    now: () => t,
  });
  for (let i = 0; i < 18_000; i++) warn('WRONG_SOURCE', `dropped message ${i}`);
  warn('MALFORMED', 'other code');
  assert.deepEqual(out, ['WRONG_SOURCE: dropped message 0', 'MALFORMED: other code']);
  t = 1000;
  warn('WRONG_SOURCE', 'dropped message again');
  assert.equal(
    out[2],
    'WRONG_SOURCE: dropped message again (and 17999 more like it held back before this one)',
  );
  warn('WRONG_SOURCE', 'x');
  warn('WRONG_SOURCE', 'y');
  warn.flush();
  assert.equal(out[3], 'WRONG_SOURCE: 2 more like it held back (rate-limited)');
  warn.flush();
  assert.equal(out.length, 4, 'nothing left to report');
});
