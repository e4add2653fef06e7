import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degradeImage } from '../../../src/core/degrade/degrade-image.js';
import { DEGRADATION_PRESET_NAMES } from '../../../src/core/degrade/degradation-presets.js';
import type { Pixels } from '../../../src/core/pixels.js';
import { DEGRADATION_FINGERPRINT, degradationFingerprint } from './degradation-fingerprint.js';

const photo = (w: number, h: number): Pixels => ({
  width: w,
  height: h,
  channels: 4,
  data: Uint8Array.from({ length: w * h * 4 }, (_, i) => {
    const p = Math.floor(i / 4);
    const x = p % w;
    const y = Math.floor(p / w);
    return i % 4 === 3 ? 255 : Math.round(127 + 100 * Math.sin(x * 0.3 + (i % 4)) * Math.cos(y * 0.21));
  }),
});

test('degradeImage: every preset and scale gives floor(HR / scale), RGB', () => {
  const hr = photo(50, 37);
  for (const preset of DEGRADATION_PRESET_NAMES) {
    for (const scale of [2, 3, 4]) {
      const lr = degradeImage(hr, { scale, preset, seed: 1 });
      assert.equal(lr.width, Math.floor(50 / scale), `${preset} x${scale}`);
      assert.equal(lr.height, Math.floor(37 / scale));
      assert.equal(lr.channels, 3);
      assert.equal(lr.data.length, lr.width * lr.height * 3);
    }
  }
});

test('degradeImage: same seed reproduces bit for bit, another seed differs', () => {
  const hr = photo(64, 64);
  for (const preset of ['realesrgan', 'blur-noise-jpeg'] as const) {
    const a = degradeImage(hr, { scale: 4, preset, seed: 123 });
    const b = degradeImage(hr, { scale: 4, preset, seed: 123 });
    const c = degradeImage(hr, { scale: 4, preset, seed: 124 });
    assert.deepEqual(a.data, b.data);
    assert.notDeepEqual(a.data, c.data);
  }
  // seeds sweep many different pipelines; they must not all collapse to the same image
  const distinct = new Set<string>();
  for (let s = 0; s < 6; s++)
    distinct.add(Buffer.from(degradeImage(hr, { scale: 2, seed: s }).data).toString('base64'));
  assert.equal(distinct.size, 6);
});

test('degradeImage: bicubic preset is deterministic and close to the block mean', () => {
  const hr = photo(32, 32);
  const lr = degradeImage(hr, { scale: 2, preset: 'bicubic', seed: 1 });
  assert.deepEqual(lr.data, degradeImage(hr, { scale: 2, preset: 'bicubic', seed: 99 }).data);
  let err = 0;
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x++) {
      const m =
        (hr.data[(2 * y * 32 + 2 * x) * 4] +
          hr.data[(2 * y * 32 + 2 * x + 1) * 4] +
          hr.data[((2 * y + 1) * 32 + 2 * x) * 4] +
          hr.data[((2 * y + 1) * 32 + 2 * x + 1) * 4]) /
        4;
      err += Math.abs(lr.data[(y * 16 + x) * 3] - m);
    }
  }
  assert.ok(err / 256 < 12, `mean abs diff ${err / 256}`);
});

test('degradeImage: rejects bad scale and preset with the value received', () => {
  const hr = photo(8, 8);
  assert.throws(() => degradeImage(hr, { scale: 5 }), /one of 2, 3, 4; got 5/);
  assert.throws(() => degradeImage(hr, { scale: 2, preset: 'nope' as never }), /got nope/);
});

test('degradeImage fingerprint: the bytes the browser test expects too (test/browser/degrade.test.ts)', () => {
  // Golden hashes from this implementation; the browser test checks the same strings, so a mismatch there means
  // the generator is not byte-identical across engines. Update both together if the pipeline changes on purpose.
  assert.deepEqual(degradationFingerprint(), DEGRADATION_FINGERPRINT);
});
