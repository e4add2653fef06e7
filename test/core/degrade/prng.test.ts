import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../src/core/degrade/prng.js';

test('rng: same seed same sequence, different seed different, state round-trips', () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const sa = Array.from({ length: 50 }, () => a.next());
  assert.deepEqual(
    sa,
    Array.from({ length: 50 }, () => b.next()),
  );
  assert.notDeepEqual(
    sa,
    Array.from({ length: 50 }, () => c.next()),
  );
  const state = a.getState();
  const next = Array.from({ length: 10 }, () => a.next());
  const d = createRng(0);
  d.setState(state);
  assert.deepEqual(
    Array.from({ length: 10 }, () => d.next()),
    next,
  );
});

test('rng: uniform, normal and poisson have the right moments; int covers its range', () => {
  const r = createRng(7);
  const n = 20000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = r.normal();
    s += v;
    s2 += v * v;
  }
  assert.ok(Math.abs(s / n) < 0.03);
  assert.ok(Math.abs(s2 / n - 1) < 0.05);
  for (const lambda of [3, 50]) {
    let m = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.poisson(lambda);
      m += v;
      m2 += v * v;
    }
    const mean = m / n;
    assert.ok(Math.abs(mean - lambda) < 0.05 * lambda, `poisson mean ${mean}`);
    assert.ok(Math.abs(m2 / n - mean * mean - lambda) < 0.1 * lambda, 'poisson variance');
  }
  const seen = new Set<number>();
  for (let i = 0; i < 500; i++) seen.add(r.int(2, 5));
  assert.deepEqual([...seen].sort(), [2, 3, 4, 5]);
  let ones = 0;
  for (let i = 0; i < n; i++) ones += r.choice([0.25, 0.75]);
  assert.ok(Math.abs(ones / n - 0.75) < 0.02);
});
