// `npm run bench:quality`: builds the dev LR/HR pairs under build/pairs/ and runs `lway bench` on a fixed subset of
// each set, printing Markdown tables (and writing build/pairs/<set>.json).
//   tsx bench/quality.ts [--sets city100-nikon,kodak24-synth,kodak-phone,kodak-blur,kodak-noisy] [--images 12]
//                        [--offset 0]
//                        [--model realesr-general-x4v3] [--steps n] [--strength s] [--lr r] [--crop-size n]
//                        [--crops-per-step n] [--residual-sigma s] [--max-noise-sigma s] [--holdout f]
//                        [--max-deviation d] [--no-lpips-loss] [--anchor a] [--lpips-weight l] [--no-tone-in-loop]
//                        [--param-fraction f] [--correction none|tone|ibp|tone+ibp] [--no-input-gate]
//                        [--no-flat-guard]
//                        [--backend wasm] [--no-collective] [--tag name]
//                        [--skip-build] [--build-only] [--save-outputs]
// --save-outputs writes each image's raw unadapted and adapted outputs to build/pairs/<set>-outputs[-<tag>]/.
// Unset options take the product's defaults (adapt-options.ts). --offset 12 builds a validation split
// (build/pairs/<set>-from12) disjoint from the benchmark's first 12 images, for choosing settings.
//                        [--operator auto|r|known|r,known]  (several, comma-separated: run side by side on the same pairs)
// Sets (all 192x192 HR crops, 48x48 LR, x4):
//   city100-nikon  real pairs: centre crops of HR and LR-aligned; LR = area x1/4 of the LR-aligned crop
//   kodak24-synth  Kodak HR crops degraded by src/core/degrade's Real-ESRGAN pipeline, seeds 900000+i (training
//                  draws seeds from 0 up, so these are unseen)
//   kodak-blur     Gaussian blur sigma 2 + area x4: exactly the known operator (the upper-bound experiment)
//   kodak-noisy    kodak-blur + Gaussian noise sigma 0.02 + JPEG q60 (what the operator does not model)
//   kodak-phone    Kodak HR crops through the `phone` degradation preset (blur, area, demosaiced Poisson-Gaussian
//                  noise, sharpening, JPEG q45-80), seeds 800000+i (stage 1 never saw this preset)
// Needs ../shared/data/eval; skips a set whose source is absent.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchMarkdown, benchVerdict, runBench } from '../src/cli/bench-command.js';
import { isCorrectionMode, type CorrectionMode } from '../src/core/correct/closed-form-correction.js';
import { readImage, writeImage } from '../src/cli/image-io.js';
import { selectBackend, type BackendName } from '../src/core/backend/select-backend.js';
import { OPERATOR_CHOICES, type OperatorChoice } from '../src/core/adapt/index.js';
import {
  addGaussianNoise,
  createRng,
  degradeImage,
  floatImageFromPixels,
  floatImageToPixels,
  jpegCompress,
} from '../src/core/degrade/index.js';
import { DEFAULT_ADAPT_OPTIONS, createKnownDegradationOperator } from '../src/core/adapt/index.js';
import { pixelsToTensor, tensorToPixels } from '../src/core/index.js';
import type { Pixels } from '../src/core/pixels.js';
import { tf } from '../src/core/tf.js';
import { centreCrop } from './centre-crop.js';

const EVAL = '../shared/data/eval';
const HR_SIDE = 192;
const SCALE = 4;

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: 'city100-nikon,kodak24-synth,kodak-phone' },
    images: { type: 'string', default: '12' },
    steps: { type: 'string', default: String(DEFAULT_ADAPT_OPTIONS.steps) },
    model: { type: 'string', default: 'realesr-general-x4v3' },
    strength: { type: 'string', default: String(DEFAULT_ADAPT_OPTIONS.strength) },
    lr: { type: 'string' },
    'crop-size': { type: 'string' },
    'crops-per-step': { type: 'string' },
    'residual-sigma': { type: 'string' },
    'max-noise-sigma': { type: 'string' },
    holdout: { type: 'string' },
    'max-deviation': { type: 'string' },
    'no-lpips-loss': { type: 'boolean', default: false },
    anchor: { type: 'string' },
    'lpips-weight': { type: 'string' },
    'no-tone-in-loop': { type: 'boolean', default: false },
    'no-input-gate': { type: 'boolean', default: false },
    'no-flat-guard': { type: 'boolean', default: false },
    'param-fraction': { type: 'string' },
    correction: { type: 'string' },
    tag: { type: 'string', default: '' },
    'skip-build': { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
    collective: { type: 'boolean', default: true },
    'no-collective': { type: 'boolean', default: false },
    operator: { type: 'string', default: 'auto' },
    stage1: { type: 'string' },
    offset: { type: 'string', default: '0' },
    'build-only': { type: 'boolean', default: false },
    'save-outputs': { type: 'boolean', default: false },
  },
});
const nImages = Number(values.images);
// Images [offset, offset + images) of each source: offset 12 gives a validation split disjoint from the default 12.
const offset = Number(values.offset);
const optionalNumber = (v: string | undefined): number | undefined =>
  v === undefined ? undefined : Number(v);

/** Area downscale (block mean), rounded. */
function areaDown(p: Pixels, s: number): Pixels {
  const w = Math.floor(p.width / s);
  const h = Math.floor(p.height / s);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < s; dy++)
          for (let dx = 0; dx < s; dx++)
            sum += p.data[((y * s + dy) * p.width + x * s + dx) * p.channels + c];
        out[(y * w + x) * 3 + c] = Math.round(sum / (s * s));
      }
    }
  }
  return { data: out, width: w, height: h, channels: 3 };
}

async function knownBlur(hr: Pixels): Promise<Pixels> {
  const op = createKnownDegradationOperator({ scale: SCALE, blurSigma: 2 });
  const x = pixelsToTensor(hr);
  const y = op.reconstruct(x);
  const out = await tensorToPixels(y);
  tf.dispose([x, y]);
  return out;
}

async function buildSet(name: string): Promise<string | undefined> {
  const dir = join('build/pairs', offset > 0 ? `${name}-from${offset}` : name);
  const kodak = join(EVAL, 'kodak24');
  const city = join(EVAL, 'city100-nikon');
  const source = name === 'city100-nikon' ? city : kodak;
  if (!existsSync(source)) {
    console.warn(`skipping ${name}: ${source} is absent (needs ../shared)`);
    return undefined;
  }
  await mkdir(join(dir, 'LR'), { recursive: true });
  await mkdir(join(dir, 'HR'), { recursive: true });
  const files = (await readdir(name === 'city100-nikon' ? join(city, 'HR') : kodak))
    .filter((f) => f.endsWith('.png'))
    .sort()
    .slice(offset, offset + nImages);
  for (const [j, file] of files.entries()) {
    const i = offset + j;
    let hr: Pixels;
    let lr: Pixels;
    if (name === 'city100-nikon') {
      hr = centreCrop(await readImage(join(city, 'HR', file)), HR_SIDE);
      lr = areaDown(centreCrop(await readImage(join(city, 'LR-aligned', file)), HR_SIDE), SCALE);
    } else {
      hr = centreCrop(await readImage(join(kodak, file)), HR_SIDE);
      if (name === 'kodak24-synth')
        lr = degradeImage(hr, { scale: SCALE, preset: 'realesrgan', seed: 900000 + i });
      else if (name === 'kodak-phone')
        lr = degradeImage(hr, { scale: SCALE, preset: 'phone', seed: 800000 + i });
      else {
        lr = await knownBlur(hr);
        if (name === 'kodak-noisy') {
          const rng = createRng(700000 + i);
          lr = floatImageToPixels(
            jpegCompress(addGaussianNoise(floatImageFromPixels(lr), rng, 0.02, false), 60),
          );
        }
      }
    }
    await writeImage(join(dir, 'HR', file), hr);
    await writeImage(join(dir, 'LR', file), lr);
  }
  return dir;
}

if (values.correction !== undefined && !isCorrectionMode(values.correction))
  throw new Error(`--correction: ${values.correction} is not one of none, tone, ibp, tone+ibp`);
const operators = values.operator.split(',') as OperatorChoice[];
for (const op of operators) {
  if (!OPERATOR_CHOICES.includes(op))
    throw new Error(`--operator: ${op} is not one of ${OPERATOR_CHOICES.join(', ')}`);
}
await selectBackend(values.backend as BackendName);
const summary: string[] = [];
for (const set of values.sets.split(',')) {
  const dir = values['skip-build']
    ? join('build/pairs', offset > 0 ? `${set}-from${offset}` : set)
    : await buildSet(set);
  if (!dir || values['build-only']) continue;
  for (const operator of operators) {
    const t0 = Date.now();
    const result = await runBench({
      operator,
      stage1Dir: values.stage1,
      pairs: dir,
      model: values.model,
      steps: Number(values.steps),
      strength: Number(values.strength),
      learningRate: optionalNumber(values.lr),
      cropSize: optionalNumber(values['crop-size']),
      cropsPerStep: optionalNumber(values['crops-per-step']),
      residualSigma: optionalNumber(values['residual-sigma']),
      maxNoiseSigma: optionalNumber(values['max-noise-sigma']),
      holdoutFraction: optionalNumber(values.holdout),
      maxDeviation: optionalNumber(values['max-deviation']),
      lpipsLoss: !values['no-lpips-loss'],
      anchorWeight: optionalNumber(values.anchor),
      lpipsWeight: optionalNumber(values['lpips-weight']),
      toneInLoop: values['no-tone-in-loop'] ? false : undefined,
      paramFraction: optionalNumber(values['param-fraction']),
      correction: values.correction as CorrectionMode | undefined,
      inputGate: !values['no-input-gate'],
      flatGuard: !values['no-flat-guard'],
      maxImages: nImages,
      collective: values.collective && !values['no-collective'],
      backend: values.backend as BackendName,
      ...(values['save-outputs']
        ? { saveOutputs: `${dir}-outputs${values.tag ? `-${values.tag}` : ''}` }
        : {}),
    });
    const tag = [values.tag, operators.length > 1 ? operator : ''].filter(Boolean).join('-');
    await writeFile(`${dir}${tag ? `-${tag}` : ''}.json`, JSON.stringify(result, null, 2));
    console.log(
      `\n### ${set}, operator ${operator} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n\n${benchMarkdown(result)}\n`,
    );
    const m = result.mean;
    const v = benchVerdict(result);
    const bc = m.controls[v.bestControl];
    summary.push(
      `| ${set} | ${m.baseline.psnr.toFixed(2)} / ${m.baseline.lpips?.toFixed(4) ?? '—'} | ` +
        `${v.bestControl}: ${bc.psnr.toFixed(2)} / ${bc.lpips?.toFixed(4) ?? '—'} | ` +
        `${m.adapted.psnr.toFixed(2)} / ${m.adapted.lpips?.toFixed(4) ?? '—'} | ${v.psnrOverBestControl.toFixed(2)} | ` +
        `${v.lpipsOverBest?.toFixed(4) ?? '—'} | ${v.worstPsnrChange.toFixed(2)} (${v.worstPsnrImage}) | ` +
        `${v.worstLpipsChange?.toFixed(4) ?? '—'} (${v.worstLpipsImage ?? '—'}) |`,
    );
  }
}
if (summary.length > 1) {
  console.log(
    '\n### summary (mean over images; PSNR dB / LPIPS-alex)\n\n' +
      '| set | unadapted | best control | adapted | adapted - best control, dB | LPIPS vs min(unadapted, best control) | worst image dPSNR | worst image dLPIPS |\n' +
      '| --- | --- | --- | --- | ---: | ---: | --- | --- |\n' +
      summary.join('\n'),
  );
}
