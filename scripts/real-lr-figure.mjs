// `npm run figure:real-lr`: the README's before/after picture on a real low-resolution photo (no ground truth).
// Crops a 96x96 selection of ../shared/data/real-lr/<image>, upscales it x4 with realesr-general-x4v3 through the
// CLI three times — plain, with the quick fix (`--correct tone`) and with `--adapt` (the product's defaults, see
// src/core/adapt/adapt-options.ts) — and writes docs/real-lr-before-after.png: bicubic | unadapted | quick fix |
// LWay-adapted. The adaptation report goes to the console.
//   node scripts/real-lr-figure.mjs [image=dped_crop00061.png] [left=72] [top=72] [out=docs/real-lr-before-after.png]
//                                   [extra lway upscale --adapt options...]
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';

const [
  image = 'dped_crop00061.png',
  left = '72',
  top = '72',
  outFile = 'docs/real-lr-before-after.png',
  ...adaptExtra
] = process.argv.slice(2);
const source = join('../shared/data/real-lr', image);
if (!existsSync(source)) {
  console.error(`${source} is absent: this figure needs ../shared (see its README)`);
  process.exit(1);
}
const side = 96;
const scale = 4;
const dir = join('build/figure', basename(outFile, '.png'));
mkdirSync(dir, { recursive: true });
const crop = join(dir, 'selection.png');
await sharp(source)
  .extract({ left: Number(left), top: Number(top), width: side, height: side })
  .removeAlpha()
  .png()
  .toFile(crop);

function lway(args) {
  const run = spawnSync(
    process.execPath,
    [
      'bin/lway.mjs',
      'upscale',
      crop,
      '--model',
      'realesr-general-x4v3',
      '--backend',
      'wasm',
      '--no-progress',
      ...args,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (run.status !== 0) throw new Error(`lway upscale ${args.join(' ')} exited with ${run.status}`);
}
const t0 = Date.now();
lway(['-o', join(dir, 'plain.png')]);
lway(['--correct', 'tone', '-o', join(dir, 'quick-fix.png')]);
const t1 = Date.now();
lway(['--adapt', ...adaptExtra, '-o', join(dir, 'adapted.png')]);
const t2 = Date.now();
console.log(
  `plain + quick fix ${((t1 - t0) / 1000).toFixed(1)} s, adapted (incl. adaptation) ${((t2 - t1) / 1000).toFixed(1)} s`,
);

const out = side * scale;
const label = (text) =>
  Buffer.from(
    `<svg width="${out}" height="28"><rect width="100%" height="100%" fill="white"/>` +
      `<text x="8" y="20" font-family="sans-serif" font-size="16">${text}</text></svg>`,
  );
const panels = [
  [await sharp(crop).resize(out, out, { kernel: 'cubic' }).toBuffer(), 'bicubic'],
  [await sharp(join(dir, 'plain.png')).toBuffer(), 'realesr-general-x4v3'],
  [await sharp(join(dir, 'quick-fix.png')).toBuffer(), 'quick fix (tone)'],
  [await sharp(join(dir, 'adapted.png')).toBuffer(), `LWay-adapted ${adaptExtra.join(' ')}`.trim()],
];
const gap = 8;
await sharp({
  create: {
    width: panels.length * out + (panels.length - 1) * gap,
    height: out + 28,
    channels: 3,
    background: '#fff',
  },
})
  .composite(
    panels.flatMap(([input, text], i) => [
      { input, left: i * (out + gap), top: 28 },
      { input: label(text), left: i * (out + gap), top: 0 },
    ]),
  )
  .png()
  .toFile(outFile);
console.log(`wrote ${outFile}`);
