// `npm run bench:grain`: does default adaptation paint grain where the photo is flat? On the real low-resolution
// photos in ../shared/data/real-lr (no ground truth), a centre crop of each is upscaled unadapted, quick-fixed
// (tone) and LWay-adapted (product defaults, then the default correction), and a no-reference grain measure is
// taken on each output: noise sigma by Donoho's MAD of the Haar HH band of luma, in the 25 % of blocks that are
// flattest in the LR (src/core/metrics/flat-region-noise.ts). Target: adapted within 10 % of unadapted.
//   tsx bench/grain.ts [--crop 64] [--photos n] [--steps n] [--model id] [--backend wasm] [--json path]
//                      [--anchor a] [--strength s] [--lr r]
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isImagePath, readImage } from '../src/cli/image-io.js';
import { selectBackend, type BackendName } from '../src/core/backend/select-backend.js';
import { correctOutput } from '../src/core/correct/closed-form-correction.js';
import { tryLoadLpips } from '../src/core/lpips/index.js';
import { adapt, defaultCorrectionFor, pixelsToTensor, tensorToPixels } from '../src/core/lway/index.js';
import { flatRegionNoise } from '../src/core/metrics/index.js';
import type { SrModel } from '../src/core/models/sr-model.js';
import type { Pixels } from '../src/core/pixels.js';
import { tf } from '../src/core/tf.js';
import { lpipsFetchBytes } from '../src/node/lpips-weights.js';
import { loadPresetModel } from '../src/node/load-preset-model.js';
import { createStage2OperatorSource } from '../src/node/stage1-operator.js';

const SOURCE = '../shared/data/real-lr';
const { values } = parseArgs({
  options: {
    crop: { type: 'string', default: '64' },
    photos: { type: 'string', default: '20' },
    steps: { type: 'string' },
    model: { type: 'string', default: 'realesr-general-x4v3' },
    backend: { type: 'string', default: 'wasm' },
    json: { type: 'string', default: 'build/grain.json' },
    anchor: { type: 'string' },
    strength: { type: 'string' },
    lr: { type: 'string' },
  },
});
const opt = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
if (!existsSync(SOURCE)) {
  console.error(`skipping: ${SOURCE} is absent (needs ../shared)`);
  process.exit(0);
}

function centreCrop(p: Pixels, side: number): Pixels {
  const s = Math.min(side, p.width, p.height);
  const x0 = Math.floor((p.width - s) / 2);
  const y0 = Math.floor((p.height - s) / 2);
  const out = new Uint8Array(s * s * 3);
  for (let y = 0; y < s; y++)
    for (let x = 0; x < s; x++)
      for (let c = 0; c < 3; c++)
        out[(y * s + x) * 3 + c] = p.data[((y0 + y) * p.width + x0 + x) * p.channels + c];
  return { data: out, width: s, height: s, channels: 3 };
}

async function superResolve(model: SrModel, lr: Pixels): Promise<Pixels> {
  const x = pixelsToTensor(lr);
  const y = model.predict(x);
  try {
    return await tensorToPixels(y);
  } finally {
    tf.dispose([x, y]);
  }
}

await selectBackend(values.backend as BackendName);
const model = await loadPresetModel(values.model);
const loaded = await tryLoadLpips('alex', lpipsFetchBytes());
const lpips = loaded.ok ? loaded.lpips : undefined;
if (!loaded.ok) console.error(`notice: ${loaded.warning.message}`);
const operators = await createStage2OperatorSource({ scale: model.scale });
const files = (await readdir(SOURCE)).filter(isImagePath).sort().slice(0, Number(values.photos));
const rows: {
  photo: string;
  unadapted: number;
  tone: number;
  adapted: number;
  ratio: number;
  seconds: number;
}[] = [];
console.log(
  '| photo | grain unadapted | grain tone | grain adapted | adapted / unadapted | s |\n| --- | ---: | ---: | ---: | ---: | ---: |',
);
for (const file of files) {
  const lr = centreCrop(await readImage(join(SOURCE, file)), Number(values.crop));
  const base = await superResolve(model, lr);
  const t0 = Date.now();
  const operator = operators.forImages(lr);
  const adapted = await adapt(model, lr, {
    operator,
    steps: opt(values.steps),
    anchorWeight: opt(values.anchor),
    strength: opt(values.strength),
    learningRate: opt(values.lr),
    lpips: lpips ? (a, b) => lpips.distance(a, b).mean() : undefined,
  }).finally(() => operator.dispose());
  const out = correctOutput(lr, await superResolve(adapted, lr), defaultCorrectionFor(undefined));
  adapted.dispose();
  const seconds = (Date.now() - t0) / 1000;
  const [u, t, a] = flatRegionNoise(lr, [base, correctOutput(lr, base, 'tone'), out]);
  rows.push({ photo: file, unadapted: u, tone: t, adapted: a, ratio: a / u, seconds });
  console.log(
    `| ${file} | ${u.toFixed(2)} | ${t.toFixed(2)} | ${a.toFixed(2)} | ${(a / u).toFixed(3)} | ${seconds.toFixed(0)} |`,
  );
}
const median = (v: number[]): number => {
  const s = [...v].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratios = rows.map((r) => r.ratio);
const over = rows.filter((r) => r.ratio > 1.1).map((r) => r.photo);
console.log(
  `\nadapted / unadapted grain: median ${median(ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)} ` +
    `(${rows.find((r) => r.ratio === Math.max(...ratios))?.photo}); above 1.10: ${over.length ? over.join(', ') : 'none'}`,
);
await writeFile(
  values.json,
  JSON.stringify({ crop: Number(values.crop), model: values.model, rows }, null, 2),
);
model.dispose();
operators.dispose();
lpips?.dispose();
