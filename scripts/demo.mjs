// `npm run demo`: the product's point in one picture. A 64x64 crop of samples/sample.png upscaled x4 with
// realesr-general-x4v3 through the CLI three times — as the model gives it, with the quick fix (`--correct tone`),
// and adapted to the crop with LWay (`--adapt`, a few steps, with a progress bar) — written side by side, after
// bicubic, into docs/demo.png (the README shows it). Each panel is `lway upscale`'s own output.
//   node scripts/demo.mjs [steps=40] [out=docs/demo.png]
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const [steps = '40', outFile = 'docs/demo.png'] = process.argv.slice(2);
const started = Date.now();
const crop = { left: 24, top: 40, width: 64, height: 64 };
const scale = 4;
const dir = 'out/demo';
mkdirSync(dir, { recursive: true });
const input = join(dir, 'crop.png');
await sharp('samples/sample.png').extract(crop).removeAlpha().png().toFile(input);

/** `lway upscale` on the crop (its progress bars show in a terminal). */
function lway(name, args) {
  const t0 = Date.now();
  const run = spawnSync(
    process.execPath,
    // wasm: the backend the README's figures were measured on (a CPU-only machine), and no WebGPU probing.
    [
      'bin/lway.mjs',
      'upscale',
      input,
      '-o',
      join(dir, name),
      '--model',
      'realesr-general-x4v3',
      '--backend',
      'wasm',
      ...args,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (run.status !== 0) throw new Error(`lway upscale ${args.join(' ')} exited with ${run.status}`);
  return (Date.now() - t0) / 1000;
}
const seconds = {
  plain: lway('unadapted.png', ['--correct', 'none']),
  tone: lway('quick-fix.png', ['--correct', 'tone']),
  adapted: lway('adapted.png', ['--adapt', '--adapt-steps', steps]),
};

const side = crop.width * scale;
const labelHeight = 28;
const label = (text) =>
  Buffer.from(
    `<svg width="${side}" height="${labelHeight}"><rect width="100%" height="100%" fill="white"/>` +
      `<text x="6" y="19" font-family="sans-serif" font-size="15">${text}</text></svg>`,
  );
const panels = [
  [await sharp(input).resize(side, side, { kernel: 'cubic' }).toBuffer(), 'bicubic'],
  [join(dir, 'unadapted.png'), 'realesr-general-x4v3'],
  [join(dir, 'quick-fix.png'), 'quick fix (--correct tone)'],
  [join(dir, 'adapted.png'), `LWay-adapted (${steps} steps)`],
];
const gap = 8;
await sharp({
  create: {
    width: panels.length * side + (panels.length - 1) * gap,
    height: side + labelHeight,
    channels: 3,
    background: '#fff',
  },
})
  .composite(
    panels.flatMap(([image, text], i) => [
      { input: image, left: i * (side + gap), top: labelHeight },
      { input: label(text), left: i * (side + gap), top: 0 },
    ]),
  )
  .png()
  .toFile(outFile);

/** Mean absolute difference of two same-size images, in 8-bit levels. */
async function meanDiff(a, b) {
  const [x, y] = await Promise.all([a, b].map((p) => sharp(p).removeAlpha().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i] - y[i]);
  return sum / x.length;
}
const diff = async (a, b) => (await meanDiff(join(dir, a), join(dir, b))).toFixed(2);
console.log(
  `wrote ${outFile} (and ${dir}/*.png): model ${seconds.plain.toFixed(1)} s, quick fix ${seconds.tone.toFixed(1)} s, ` +
    `adapted ${seconds.adapted.toFixed(1)} s (${steps} steps); all in ${((Date.now() - started) / 1000).toFixed(1)} s. ` +
    `Mean change: quick fix vs model ${await diff('unadapted.png', 'quick-fix.png')}/255, ` +
    `adapted vs quick fix ${await diff('quick-fix.png', 'adapted.png')}/255`,
);
