// `npm run bench:grain`: does default adaptation paint grain where the photo is flat? On the real low-resolution
// photos in ../shared/data/real-lr (no ground truth), a centre crop of each is upscaled unadapted, quick-fixed
// (tone) and LWay-adapted (product defaults, then the default correction and the flat-region guard), and a no-reference grain measure is
// taken on each output: noise sigma by Donoho's MAD of the Haar HH band of luma, in the 25 % of blocks that are
// flattest in the LR (src/core/metrics/flat-region-noise.ts). Two bands: the output's finest (level 1, as the issue
// words it) and the LR's pixel scale (level log2(scale)+1, where an LR-consistency loss repaints the source's grain;
// level 1 on a smooth 8-bit output sits near the quantisation floor). Target: adapted within 10 % of unadapted.
//   tsx bench/grain.ts [--crop 64] [--photos n] [--steps n] [--model id] [--backend wasm] [--json path]
//                      [--anchor a] [--strength s] [--lr r] [--save-outputs dir] [--no-flat-guard]
// --save-outputs writes each crop and its raw unadapted and adapted outputs (<photo>-lr|unadapted|adapted.png).
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isImagePath, readImage, writeImage } from '../src/cli/image-io.js';
import {
  correctOutput,
  defaultCorrectionFor,
  finishOutput,
  flatRegionNoise,
  predictPixels,
  selectBackend,
  type BackendName,
  type Pixels,
} from '../src/core/index.js';
import { createNodeAdaptSession, loadPresetModel } from '../src/node/index.js';
import { centreCrop } from './centre-crop.js';
import { median } from './median.js';

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
    'save-outputs': { type: 'string' },
    'no-flat-guard': { type: 'boolean', default: false },
  },
});
const opt = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
if (!existsSync(SOURCE)) {
  console.error(`skipping: ${SOURCE} is absent (needs ../shared)`);
  process.exit(0);
}

await selectBackend(values.backend as BackendName);
const model = await loadPresetModel(values.model);
const session = createNodeAdaptSession();
const files = (await readdir(SOURCE)).filter(isImagePath).sort().slice(0, Number(values.photos));
interface GrainRow {
  photo: string;
  /** Level-1 (finest) grain of unadapted, tone-fixed and adapted outputs, and adapted / unadapted. */
  fine: { unadapted: number; tone: number; adapted: number; ratio: number };
  /** Grain at the LR's pixel scale, same outputs, and the LR's own finest-band grain for reference. */
  lrScale: { source: number; unadapted: number; tone: number; adapted: number; ratio: number };
  /** The clean-input gate's verdict (absent without a gate). */
  judged?: 'clean' | 'noisy';
  seconds: number;
}
const rows: GrainRow[] = [];
console.log(
  '| photo | judged | fine: unadapted | tone | adapted | ratio | LR-scale: source | unadapted | tone | adapted | ratio | s |\n' +
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
);
const f2 = (v: number): string => v.toFixed(2);
// 0 -> 0 is no grain added, not an undefined ratio.
const ratioOf = (adapted: number, unadapted: number): number =>
  adapted === unadapted ? 1 : adapted / unadapted;
for (const file of files) {
  const lr = centreCrop(await readImage(join(SOURCE, file)), Number(values.crop));
  const base = await predictPixels(model, lr);
  const t0 = Date.now();
  const lease = await session.adapt(model, lr, {
    steps: opt(values.steps),
    anchorWeight: opt(values.anchor),
    strength: opt(values.strength),
    learningRate: opt(values.lr),
  });
  const judged = lease.judgement?.kind;
  let out: Pixels;
  try {
    const raw = await predictPixels(lease.model, lr);
    if (values['save-outputs']) {
      const stem = join(values['save-outputs'], file.replace(/\.[^.]+$/, ''));
      await mkdir(values['save-outputs'], { recursive: true });
      await writeImage(`${stem}-lr.png`, lr);
      await writeImage(`${stem}-unadapted.png`, base);
      await writeImage(`${stem}-adapted.png`, raw);
    }
    // The product's output: the default quick fix, then the flat-region guard against the unadapted output.
    out = finishOutput(lr, raw, {
      correction: defaultCorrectionFor(undefined),
      ...(values['no-flat-guard'] ? {} : { reference: base }),
    });
  } finally {
    lease.release();
  }
  const seconds = (Date.now() - t0) / 1000;
  const outputs = [base, correctOutput(lr, base, 'tone'), out];
  const [u, t, a] = flatRegionNoise(lr, outputs);
  const [lu, lt, la] = flatRegionNoise(lr, outputs, { level: Math.log2(model.scale) + 1 });
  const [source] = flatRegionNoise(lr, [lr]);
  const row: GrainRow = {
    photo: file,
    fine: { unadapted: u, tone: t, adapted: a, ratio: ratioOf(a, u) },
    lrScale: { source, unadapted: lu, tone: lt, adapted: la, ratio: ratioOf(la, lu) },
    ...(judged ? { judged } : {}),
    seconds,
  };
  rows.push(row);
  console.log(
    `| ${file} | ${judged ?? '—'} | ${f2(u)} | ${f2(t)} | ${f2(a)} | ${row.fine.ratio.toFixed(3)} | ${f2(source)} | ${f2(lu)} | ` +
      `${f2(lt)} | ${f2(la)} | ${row.lrScale.ratio.toFixed(3)} | ${seconds.toFixed(0)} |`,
  );
}
for (const band of ['fine', 'lrScale'] as const) {
  const ratios = rows.map((r) => r[band].ratio).filter(Number.isFinite);
  const worst = rows.reduce((w, r) => (r[band].ratio > w[band].ratio ? r : w), rows[0]);
  const over = rows.filter((r) => !(r[band].ratio <= 1.1)).map((r) => r.photo);
  console.log(
    `${band === 'fine' ? 'finest band' : 'LR pixel scale'}: adapted / unadapted grain median ` +
      `${median(ratios).toFixed(3)}, worst ${worst[band].ratio.toFixed(3)} (${worst.photo}: ` +
      `${f2(worst[band].unadapted)} -> ${f2(worst[band].adapted)} levels); above 1.10: ` +
      `${over.length ? over.join(', ') : 'none'}`,
  );
}
await writeFile(
  values.json,
  JSON.stringify({ crop: Number(values.crop), model: values.model, rows }, null, 2),
);
model.dispose();
await session.dispose();
