import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  gaussianKernel,
  generalizedGaussianKernel,
  plateauKernel,
  sincKernel,
  type BlurKernel,
} from '../../../src/core/degrade/blur-kernels.js';
import { besselJ1 } from '../../../src/core/degrade/bessel-j1.js';
import { randomBlurKernel, FIRST_BLUR_RANGES } from '../../../src/core/degrade/random-blur-kernel.js';
import { createRng } from '../../../src/core/degrade/prng.js';

const sum = (k: BlurKernel) => k.data.reduce((a, b) => a + b, 0);
const at = (k: BlurKernel, x: number, y: number) => {
  const r = (k.size - 1) / 2;
  return k.data[(y + r) * k.size + (x + r)];
};
/** Max |k(x,y) - k(-x,-y)|: every kernel here is point-symmetric. */
const pointAsym = (k: BlurKernel) => {
  const r = (k.size - 1) / 2;
  let m = 0;
  for (let y = -r; y <= r; y++)
    for (let x = -r; x <= r; x++) m = Math.max(m, Math.abs(at(k, x, y) - at(k, -x, -y)));
  return m;
};
/** Max |k(x,y) - k(y,x)| and mirror asymmetry: isotropic kernels have all of them zero. */
const isoAsym = (k: BlurKernel) => {
  const r = (k.size - 1) / 2;
  let m = 0;
  for (let y = -r; y <= r; y++) {
    for (let x = -r; x <= r; x++) {
      m = Math.max(m, Math.abs(at(k, x, y) - at(k, y, x)), Math.abs(at(k, x, y) - at(k, -x, y)));
    }
  }
  return m;
};

const aniso = { sigmaX: 2.5, sigmaY: 0.7, theta: 0.6 };
const iso = { sigmaX: 1.7, sigmaY: 1.7, theta: 0 };

test('kernels sum to 1, are point-symmetric, and isotropic ones are mirror-symmetric', () => {
  const kernels: Array<[string, BlurKernel, boolean]> = [
    ['gaussian iso', gaussianKernel(13, iso), true],
    ['gaussian aniso', gaussianKernel(21, aniso), false],
    ['generalised iso', generalizedGaussianKernel(15, iso, 1), true],
    ['generalised aniso', generalizedGaussianKernel(21, aniso, 6), false],
    ['plateau iso', plateauKernel(11, iso, 1.5), true],
    ['plateau aniso', plateauKernel(21, aniso, 2), false],
    ['sinc', sincKernel(21, Math.PI / 3), true],
  ];
  for (const [name, k, isIso] of kernels) {
    assert.ok(Math.abs(sum(k) - 1) < 1e-12, `${name} sums to ${sum(k)}`);
    assert.ok(pointAsym(k) < 1e-15, `${name} not point-symmetric`);
    if (isIso) assert.ok(isoAsym(k) < 1e-15, `${name} not isotropic`);
    else assert.ok(isoAsym(k) > 1e-4, `${name} should be anisotropic`);
  }
  // the centre is the maximum of a Gaussian
  const g = gaussianKernel(21, aniso);
  assert.equal(Math.max(...g.data), at(g, 0, 0));
});

test('generalised Gaussian with beta = 2 equals the Gaussian; other betas differ', () => {
  const g = gaussianKernel(21, aniso);
  const gg = generalizedGaussianKernel(21, aniso, 2);
  for (let i = 0; i < g.data.length; i++) assert.ok(Math.abs(g.data[i] - gg.data[i]) < 1e-15);
  const heavy = generalizedGaussianKernel(21, aniso, 1);
  assert.ok(Math.abs(heavy.data[0] - g.data[0]) > 1e-6);
});

test('besselJ1 matches tabulated values', () => {
  // J1(1) = 0.4400505857, J1(3.8317) ~ 0 (first zero), J1(10) = 0.0434727462
  assert.ok(Math.abs(besselJ1(1) - 0.4400505857) < 1e-7);
  assert.ok(Math.abs(besselJ1(3.8317059702)) < 1e-7);
  assert.ok(Math.abs(besselJ1(10) - 0.0434727462) < 1e-7);
  assert.ok(Math.abs(besselJ1(-1) + 0.4400505857) < 1e-7);
});

test('sinc kernel passes frequencies below its cut-off and stops those above', () => {
  const cutoff = Math.PI / 2;
  const k = sincKernel(21, cutoff);
  const response = (w: number) => {
    // horizontal frequency response (real part; the kernel is symmetric)
    const r = (k.size - 1) / 2;
    let acc = 0;
    for (let y = -r; y <= r; y++) for (let x = -r; x <= r; x++) acc += at(k, x, y) * Math.cos(w * x);
    return acc;
  };
  for (const w of [0, 0.2 * cutoff, 0.5 * cutoff, 0.7 * cutoff])
    assert.ok(response(w) > 0.85, `pass ${w}: ${response(w)}`);
  for (const w of [1.3 * cutoff, 1.6 * cutoff, 1.9 * cutoff])
    assert.ok(Math.abs(response(w)) < 0.1, `stop ${w}: ${response(w)}`);
  // a wider cut-off keeps more: at 0.75 pi a pi/2 filter stops, a 0.9 pi filter passes
  assert.ok(response(0.75 * Math.PI) < 0.1);
  const wide = sincKernel(21, 0.9 * Math.PI);
  const r = 10;
  let acc = 0;
  for (let y = -r; y <= r; y++)
    for (let x = -r; x <= r; x++) acc += at(wide, x, y) * Math.cos(0.75 * Math.PI * x);
  assert.ok(acc > 0.8);
});

test('random kernels: odd sizes 7-21, unit sum, seeded', () => {
  const rng = createRng(5);
  const sizes = new Set<number>();
  for (let i = 0; i < 200; i++) {
    const k = randomBlurKernel(rng, FIRST_BLUR_RANGES);
    assert.equal(k.size % 2, 1);
    assert.ok(k.size >= 7 && k.size <= 21);
    assert.ok(Math.abs(sum(k) - 1) < 1e-9);
    sizes.add(k.size);
  }
  assert.equal(sizes.size, 8);
  const a = randomBlurKernel(createRng(9), FIRST_BLUR_RANGES);
  const b = randomBlurKernel(createRng(9), FIRST_BLUR_RANGES);
  assert.deepEqual(a, b);
});
