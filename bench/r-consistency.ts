// Why LWay gains on one set and not another, without adapting anything: for each LR/HR pair, how consistent the
// unadapted SR output already is with the LR under the trained R — L1(R(S(x), E(x)), x) — next to the same figure
// for the true HR — L1(R(HR, E(x)), x), R's own error on this image. When the SR output is already more consistent
// than the HR, the LWay loss has nothing left that points towards the HR: minimising it fits R's errors instead.
//   npx tsx bench/r-consistency.ts [--model realesr-general-x4v3] [--stage1 dir] <pairs dir>...
// (pairs dirs hold LR/ and HR/ with matching names, e.g. build/pairs/city100-nikon from `npm run bench:quality`).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readImage } from '../src/cli/image-io.js';
import { selectBackend } from '../src/core/backend/select-backend.js';
import { createLrReconstruction } from '../src/core/adapt/index.js';
import { pixelsToTensor } from '../src/core/index.js';
import { tf } from '../src/core/tf.js';
import { loadPresetModel } from '../src/node/load-preset-model.js';
import { loadStage1Folder, stage1DirFor } from '../src/node/stage1-folder.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: 'realesr-general-x4v3' },
    stage1: { type: 'string' },
  },
});
await selectBackend('wasm');
const model = await loadPresetModel(values.model);
const nets = await loadStage1Folder(values.stage1 ?? stage1DirFor(model.scale));
const l1 = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => a.sub(b).abs().mean().dataSync()[0] * 255);
console.log(
  '| pairs | images | L1 R(S(x)) vs x (/255) | L1 R(HR) vs x (/255) | SR output already more consistent than HR |',
);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const dir of positionals) {
  const files = (await readdir(join(dir, 'LR'))).sort();
  let sr = 0;
  let hr = 0;
  let below = 0;
  for (const f of files) {
    const x = pixelsToTensor(await readImage(join(dir, 'LR', f)));
    const y = pixelsToTensor(await readImage(join(dir, 'HR', f)));
    const op = createLrReconstruction(nets, x);
    const s = tf.tidy(() => model.predict(x));
    const [a, b] = tf.tidy(() => [l1(op.reconstruct(s), x), l1(op.reconstruct(y), x)]);
    sr += a;
    hr += b;
    if (a < b) below++;
    op.dispose();
    tf.dispose([x, y, s]);
  }
  const n = files.length;
  console.log(`| ${dir} | ${n} | ${(sr / n).toFixed(2)} | ${(hr / n).toFixed(2)} | ${below} of ${n} |`);
}
model.dispose();
nets.encoder.dispose();
nets.reconstructor.dispose();
