// Training data for the clean-input gate (src/core/stage1/clean-input-gate.ts): synthetic 48x48 LR crops of the
// training photos under the five stage-1 presets (in turn), each with E(x) and the label's two figures, PSNR and
// LPIPS-alex against the HR of tone and of tone+ibp applied to the unadapted SR output. Fitted by
// scripts/fit-clean-gate.py. Seeds 900000 + 10000 seed + i (stage-1 training draws its own stream).
//   npx tsx bench/clean-gate-data.ts <samples> <seed> [--stage1 dir] [--model realesr-general-x4v3]
// writes build/clean-gate/syn<seed>.json (~1 s per sample on wasm).
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readImage } from '../src/cli/image-io.js';
import { selectBackend } from '../src/core/backend/select-backend.js';
import { createRng, degradeImage, DEGRADATION_PRESET_NAMES } from '../src/core/degrade/index.js';
import { correctOutput, pixelsToTensor, predictPixels, psnr } from '../src/core/index.js';
import { tryLoadLpips } from '../src/core/lpips/index.js';
import type { Pixels } from '../src/core/pixels.js';
import { tf } from '../src/core/tf.js';
import { cropSquare } from './centre-crop.js';
import { lpipsFetchBytes } from '../src/node/lpips-weights.js';
import { loadPresetModel } from '../src/node/load-preset-model.js';
import { loadStage1Folder, stage1DirFor } from '../src/node/stage1-folder.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { stage1: { type: 'string' }, model: { type: 'string', default: 'realesr-general-x4v3' } },
});
const samples = Number(positionals[0] ?? 300);
const seed = Number(positionals[1] ?? 7);
const TRAIN = '../shared/data/train';
const HR_SIDE = 192;

await selectBackend('wasm');
const model = await loadPresetModel(values.model);
const nets = await loadStage1Folder(values.stage1 ?? stage1DirFor(model.scale));
const loaded = await tryLoadLpips('alex', lpipsFetchBytes());
if (!loaded.ok) throw new Error(loaded.warning.message);
const lpips = loaded.lpips;

async function score(sr: Pixels, hr: Pixels) {
  const d = tf.tidy(() => lpips.distance(pixelsToTensor(sr), pixelsToTensor(hr)));
  const v = (await d.data())[0];
  d.dispose();
  return { psnr: psnr(sr, hr, { border: model.scale }), lpips: v };
}

const rng = createRng(seed);
const files = (await readdir(TRAIN)).filter((f) => f.endsWith('.jpg')).sort();
const rows = [];
for (let i = 0; i < samples; i++) {
  const file = files[Math.floor(rng.uniform(0, files.length))];
  const photo = await readImage(join(TRAIN, file));
  const hr = cropSquare(
    photo,
    Math.floor(rng.uniform(0, photo.width - HR_SIDE)),
    Math.floor(rng.uniform(0, photo.height - HR_SIDE)),
    HR_SIDE,
  );
  const preset = DEGRADATION_PRESET_NAMES[i % DEGRADATION_PRESET_NAMES.length];
  const lr = degradeImage(hr, { scale: model.scale, preset, seed: 900_000 + seed * 10_000 + i });
  const e = tf.tidy(() => nets.encoder.encode(pixelsToTensor(lr)));
  const embedding = Array.from(await e.data());
  e.dispose();
  const sr = await predictPixels(model, lr);
  rows.push({
    file,
    preset,
    embedding,
    tone: await score(correctOutput(lr, sr, 'tone'), hr),
    toneIbp: await score(correctOutput(lr, sr, 'tone+ibp'), hr),
  });
  if (i % 25 === 0) console.error(`${i}/${samples}`);
}
await mkdir('build/clean-gate', { recursive: true });
await writeFile(`build/clean-gate/syn${seed}.json`, JSON.stringify(rows));
model.dispose();
nets.encoder.dispose();
nets.reconstructor.dispose();
lpips.dispose();
