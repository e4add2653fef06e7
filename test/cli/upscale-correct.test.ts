// `lway upscale --correct`: core's closed-form quick fix applied to the whole output against its input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { defaultCorrection } from '../../src/core/adapt/index.js';
import { fitToneMatch } from '../../src/core/correct/tone-match.js';
import { floatImageFromPixels, resize } from '../../src/core/degrade/index.js';
import type { Pixels } from '../../src/core/pixels.js';

let dir: string;

function lway(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/lway.mjs', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function read(path: string): Promise<Pixels> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data),
    width: info.width,
    height: info.height,
    channels: info.channels as 3 | 4,
  };
}

/** The per-channel affine map that would take the output's area downscale to the input: identity = no cast. */
function castOf(input: Pixels, output: Pixels): { gain: number; offset: number } {
  const t = fitToneMatch(
    floatImageFromPixels(input),
    resize(floatImageFromPixels(output), input.width, input.height, 'area'),
  );
  return {
    gain: Math.max(...t.gain.map((g) => Math.abs(g - 1))),
    offset: Math.max(...t.offset.map((b) => Math.abs(b) * 255)),
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lway-correct-'));
  // A smooth colour pattern whose blue channel realesr-general-x4v3 flattens (a gain of 1.22 takes it back).
  const w = 24;
  const h = 20;
  const rgba = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      rgba[i] = 120 + Math.round(60 * Math.sin(x / 4));
      rgba[i + 1] = 100 + Math.round(40 * Math.cos(y / 5));
      rgba[i + 2] = 90 + ((x * 7 + y * 3) % 40);
      rgba[i + 3] = x < 4 ? 0 : 255;
    }
  }
  await sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
    .png()
    .toFile(join(dir, 'in.png'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

const upscale = (out: string, ...extra: string[]) => {
  const r = lway(
    'upscale',
    join(dir, 'in.png'),
    '-o',
    join(dir, out),
    '--model',
    'realesr-general-x4v3',
    ...extra,
  );
  assert.equal(r.code, 0, r.stderr);
  return r;
};

test('--correct tone removes the colour cast of the model output; alpha is kept; none (the default) leaves it', async () => {
  upscale('plain.png');
  const r = upscale('tone.png', '--correct', 'tone');
  assert.match(r.stdout, /tone correction/);
  upscale('none.png', '--correct', 'none');
  const input = await read(join(dir, 'in.png'));
  const [plain, tone, none] = await Promise.all(
    ['plain', 'tone', 'none'].map((n) => read(join(dir, `${n}.png`))),
  );
  const before = castOf(input, plain);
  const fixed = castOf(input, tone);
  assert.ok(before.gain > 0.1, `the model leaves a cast (gain off by ${before.gain.toFixed(3)})`);
  assert.ok(fixed.gain < 0.01 && fixed.offset < 1, `tone removes it (${JSON.stringify(fixed)})`);
  assert.deepEqual(Buffer.from(none.data), Buffer.from(plain.data), 'none is the plain upscale');
  assert.equal(tone.channels, 4);
  const alpha = (p: Pixels) => p.data.filter((_, i) => i % 4 === 3);
  assert.deepEqual(alpha(tone), alpha(plain), 'alpha untouched by the fix');
});

test('--correct ibp and tone+ibp run and differ from tone; a bad value is a usage error (exit 2)', async () => {
  upscale('tone.png', '--correct', 'tone');
  upscale('ibp.png', '--correct', 'ibp');
  upscale('both.png', '--correct', 'tone+ibp');
  const [tone, ibp, both] = await Promise.all(
    ['tone', 'ibp', 'both'].map((n) => read(join(dir, `${n}.png`))),
  );
  assert.notDeepEqual(Buffer.from(ibp.data), Buffer.from(tone.data));
  assert.notDeepEqual(Buffer.from(both.data), Buffer.from(tone.data));
  const bad = lway('upscale', join(dir, 'in.png'), '-o', join(dir, 'x.png'), '--correct', 'sharpen');
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /Allowed choices are none, tone, ibp, tone\+ibp/);
});

test("with --adapt the default quick fix is core's (tone while adaptation fits tone in its loss); --correct none overrides it", async () => {
  upscale('tone.png', '--correct', defaultCorrection(true));
  upscale('plain.png');
  // Zero steps: the adapted model is the preset itself, so only the fix can make a difference.
  upscale('adapted.png', '--adapt', '--adapt-steps', '0', '--backend', 'wasm');
  upscale('adapted-none.png', '--adapt', '--adapt-steps', '0', '--correct', 'none', '--backend', 'wasm');
  const [tone, plain, adapted, adaptedNone] = await Promise.all(
    ['tone', 'plain', 'adapted', 'adapted-none'].map((n) => read(join(dir, `${n}.png`))),
  );
  assert.deepEqual(Buffer.from(adapted.data), Buffer.from(tone.data));
  assert.deepEqual(Buffer.from(adaptedNone.data), Buffer.from(plain.data));
});
