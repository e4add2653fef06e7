// npx tsx bench/step-profile.ts — where one default adaptation step's time goes, on one backend:
//   - wall time of a step (median of --runs after 2 warm-up steps), as bench:gpu times it, under variants that
//     change one thing each: the optimizer adapt() does not use on this backend (`tfjs-adam` on the GPU backends,
//     `flat-adam` elsewhere: see adaptOptimizer); TF.js's own
//     Conv2DBackpropFilter instead of ours (`native-dw`) or ours as one matmul (`dw-one-matmul`, webgpu: no
//     split reduction); on webgpu a larger command-buffer batch (`submit-N`: WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE,
//     15 by default);
//   - the kernels of one step under tf.profile, by name: how many, their GPU time where the backend can time
//     kernels (webgpu with timestamp queries; wasm and cpu time each kernel on the CPU), their FLOPs.
// The gap between the step's wall time and the sum of its kernel times is what the host side costs (dispatch,
// submission, JS): on a fast GPU it is the number to watch. Same batch as bench:gpu (--crops x --crop, default 4 x
// 48, x4v3, stage-1 R, LPIPS-alex anchor, 65 % of the parameters).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tf } from '../src/core/tf.js';
import { selectBackend, type BackendName } from '../src/core/backend/select-backend.js';
import { setWebGpuSource } from '../src/core/backend/webgpu-source.js';
import { fileFetchBytes } from '../src/node/lpips-weights.js';
import { nodeWebGpuSource } from '../src/node/node-webgpu.js';
import { makeConv2dBackpropFilterWebGpuConfig } from '../src/core/kernels/index.js';
import {
  loadAdaptStepKit,
  runAdaptSteps,
  testLrImage,
  type AdaptStepKit,
} from '../test/helpers/adapt-steps.js';
import { FlatAdam, type AdaptOptimizer } from '../src/core/adapt/flat-adam.js';
import { kernelFlops } from './count-flops.js';
import { median } from './median.js';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    crop: { type: 'string', default: '48' },
    crops: { type: 'string', default: '4' },
    runs: { type: 'string', default: '5' },
    top: { type: 'string', default: '15' },
    'models-dir': { type: 'string', default: 'models' },
    'lpips-dir': { type: 'string', default: process.env.LWAY_LPIPS_DIR ?? 'models/lpips' },
  },
});
const BACKEND = args.backend as BackendName;
const CROP = Number(args.crop);
const CROPS = Number(args.crops);
const RUNS = Math.max(1, Number(args.runs));
const TOP = Number(args.top);
const MODELS_DIR = resolve(args['models-dir']);
const sources = {
  model: fileFetchBytes(join(MODELS_DIR, 'realesr-general-x4v3')),
  stage1: fileFetchBytes(join(MODELS_DIR, 'lway-degradation', 'x4')),
  lpips: fileFetchBytes(resolve(args['lpips-dir'])),
};

/** Median wall ms of one step (a fresh optimizer each time, as bench:gpu's step), after 2 warm-ups. */
async function stepMs(
  kit: AdaptStepKit,
  batch: tf.Tensor4D,
  optimizer?: (lr: number) => AdaptOptimizer,
): Promise<number> {
  const ts: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = performance.now();
    await runAdaptSteps(kit, batch, 1, { trace: false, optimizer });
    if (i >= 2) ts.push(performance.now() - t0);
  }
  return median(ts);
}

// TF.js's own kernel, read before selectBackend replaces it with ours (wasm has none).
const nativeDw = tf.getKernel('Conv2DBackpropFilter', BACKEND);

/** Swaps in another Conv2DBackpropFilter for the duration of `f`. */
async function withDw<T>(other: tf.KernelConfig | undefined, f: () => Promise<T>): Promise<T> {
  const ours = tf.getKernel('Conv2DBackpropFilter', BACKEND);
  if (!ours || !other || ours === other) throw new Error(`no such Conv2DBackpropFilter on ${BACKEND}`);
  tf.unregisterKernel('Conv2DBackpropFilter', BACKEND);
  tf.registerKernel(other);
  try {
    return await f();
  } finally {
    tf.unregisterKernel('Conv2DBackpropFilter', BACKEND);
    tf.registerKernel(ours);
  }
}

interface KernelRow {
  name: string;
  count: number;
  ms: number;
  gflop: number;
}

async function profileStep(
  kit: AdaptStepKit,
  batch: tf.Tensor4D,
): Promise<{ rows: KernelRow[]; wallMs: number }> {
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await runAdaptSteps(kit, batch, 1, { trace: false });
  });
  const wallMs = performance.now() - t0;
  const byName = new Map<string, KernelRow>();
  // Ops with a custom gradient (`<op>__op`) are recorded around their kernels: counting both would count twice.
  for (const k of info.kernels.filter((k) => !k.name.endsWith('__op'))) {
    const row = byName.get(k.name) ?? { name: k.name, count: 0, ms: 0, gflop: 0 };
    row.count++;
    const ms = await (k.kernelTimeMs as number | { error: string } | Promise<number>);
    row.ms += typeof ms === 'number' ? ms : 0;
    row.gflop += kernelFlops(k.name, k.inputShapes, k.outputShapes) / 1e9;
    byName.set(k.name, row);
  }
  return { rows: [...byName.values()].sort((a, b) => b.ms - a.ms || b.count - a.count), wallMs };
}

setWebGpuSource(nodeWebGpuSource);
await selectBackend(BACKEND);
const selection = testLrImage(64, 64);
const batch = testLrImage(CROP, CROP, CROPS);
const kit = await loadAdaptStepKit('realesr-general-x4v3', sources, selection);
try {
  const variants: [string, number][] = [['default', await stepMs(kit, batch)]];
  // The optimizer adapt() does not use on this backend.
  if (BACKEND === 'webgpu' || BACKEND === 'webgl')
    variants.push(['tfjs-adam', await stepMs(kit, batch, (lr) => tf.train.adam(lr, 0.9, 0.999, 1e-7))]);
  else variants.push(['flat-adam', await stepMs(kit, batch, (lr) => new FlatAdam(lr, 0.9, 0.999, 1e-7))]);
  const dws: [string, tf.KernelConfig | undefined][] = [['native-dw', nativeDw]];
  if (BACKEND === 'webgpu')
    dws.push(['dw-one-matmul', makeConv2dBackpropFilterWebGpuConfig(nativeDw, { splitK: 1 })]);
  for (const [name, config] of dws) {
    try {
      variants.push([name, await withDw(config, () => stepMs(kit, batch))]);
    } catch (err) {
      console.error(`[step-profile] ${name}: ${(err as Error).message}`);
    }
  }
  if (BACKEND === 'webgpu') {
    const flag = 'WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE';
    const old = tf.env().get(flag);
    for (const n of [64, 256]) {
      tf.env().set(flag, n);
      variants.push([`submit-${n}`, await stepMs(kit, batch)]);
    }
    tf.env().set(flag, old);
  }
  const { rows, wallMs } = await profileStep(kit, batch);
  const totalMs = rows.reduce((s, r) => s + r.ms, 0);
  const totalCount = rows.reduce((s, r) => s + r.count, 0);
  const totalGflop = rows.reduce((s, r) => s + r.gflop, 0);
  console.log(
    `step-profile ${new Date().toISOString().slice(0, 10)}: ${BACKEND}, ${CROPS} x ${CROP}x${CROP}, medians of ${RUNS}`,
  );
  console.log(
    `| variant | step ms |\n| --- | ---: |\n${variants.map(([v, ms]) => `| ${v} | ${ms.toFixed(1)} |`).join('\n')}`,
  );
  console.log(
    `\none step under tf.profile: ${totalCount} kernels, ${totalMs.toFixed(1)} ms of kernel time, ${totalGflop.toFixed(2)} GFLOP, ` +
      `${wallMs.toFixed(0)} ms wall (profiling submits each kernel alone)`,
  );
  console.log('| kernel | count | ms | share | GFLOP | GFLOPS |\n| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows.slice(0, TOP))
    console.log(
      `| ${r.name} | ${r.count} | ${r.ms.toFixed(2)} | ${totalMs ? ((100 * r.ms) / totalMs).toFixed(1) : '—'} % | ` +
        `${r.gflop.toFixed(2)} | ${r.ms > 0 && r.gflop > 0 ? (r.gflop / (r.ms / 1000)).toFixed(0) : '—'} |`,
    );
} finally {
  kit.dispose();
  tf.dispose([selection, batch]);
}
