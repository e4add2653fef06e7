// npm run bench:gpu — the GPU path's figures, every backend in one run so the ratios are fair:
//   - inference MP/s (input megapixels per second, tiled upscale() as the product runs it) of realesr-general-x4v3
//     and realesrgan-x4plus on a --size x --size input (default 256);
//   - forward GFLOPS of x4v3 on the adaptation batch (--crops crops of --crop px, defaults 4 x 48), then one default
//     adaptation step on it (adapt()'s default objective, DEFAULT_ADAPT_OPTIONS: tone-fitted L1 through the trained
//     stage-1 R plus the LPIPS-alex anchor at HR, Adam on the output-side 65 % of the parameters): ms, GFLOP, GFLOPS and step GFLOPS / forward GFLOPS (the goal is >= 25 %
//     on webgpu);
//   - wall time of a full default adapt() (--steps, default 200) on a --selection x --selection image (default 64);
//     --reference-steps N runs N steps instead on wasm and cpu, whose 200-step runs would take many minutes (the
//     table says how many steps each row ran);
//   - agreement with the cpu backend (the reference kernels): the worst relative error of loss, gradients and
//     updated weights over the 2-step cross-backend case of test/helpers/adapt-steps.ts (the same check the tests
//     run on SwiftShader; here on the machine's real adapter). --no-agreement skips it.
// FLOPs are counted from the kernels TF.js runs (bench/count-flops.ts: convolutions and matmuls, forward and
// backward), measured once on the first backend; times are medians of --runs after one warm-up.
//
// Backends: wasm, then webgpu in Node through the npm `webgpu` package (Dawn) on whatever adapter Vulkan offers,
// a CPU emulation (SwiftShader) included; --backends wasm,webgpu,cpu picks (cpu is ~100x slower than wasm).
// Writes <out>.json and <out>.md (default build/bench-gpu) and prints the Markdown table.
//
// The defaults are the issue's sizes, for a GPU. On a CPU-only machine (SwiftShader at ~0.1-0.2 GFLOPS) shrink them:
//   npm run bench:gpu -- --size 32 --models realesr-general-x4v3 --crops 1 --crop 32 --selection 32 --steps 2 --runs 1
// (x4plus at 256 px is ~2 TFLOP: hours on SwiftShader). Files: --models-dir (converted presets), --stage1-dir,
// --lpips-dir (default models/lpips, the product's shipped copy, or $LWAY_LPIPS_DIR); without LPIPS weights the step is L1 only (said so).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tf } from '../src/core/tf.js';
import { selectBackend, type BackendName } from '../src/core/backend/select-backend.js';
import { setWebGpuSource, webGpuSourceAdapter } from '../src/core/backend/webgpu-source.js';
import { adapt } from '../src/core/adapt/adapt.js';
import { getModelDefinition } from '../src/core/models/registry.js';
import type { Pixels } from '../src/core/pixels.js';
import { upscale } from '../src/core/upscale/upscale.js';
import { fileFetchBytes } from '../src/node/lpips-weights.js';
import { nodeWebGpuSource } from '../src/node/node-webgpu.js';
import {
  compareTraces,
  loadAdaptStepKit,
  runAdaptSteps,
  runCrossBackendCase,
  testLrImage,
  worstError,
  type AdaptStepSources,
  type AdaptStepTrace,
} from '../test/helpers/adapt-steps.js';
import { countFlops } from './count-flops.js';
import { median } from './median.js';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,webgpu' },
    models: { type: 'string', default: 'realesr-general-x4v3,realesrgan-x4plus' },
    size: { type: 'string', default: '256' },
    crop: { type: 'string', default: '48' },
    crops: { type: 'string', default: '4' },
    selection: { type: 'string', default: '64' },
    steps: { type: 'string', default: '200' },
    'reference-steps': { type: 'string' },
    'no-agreement': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'models-dir': { type: 'string', default: 'models' },
    'stage1-dir': { type: 'string' },
    'lpips-dir': { type: 'string', default: process.env.LWAY_LPIPS_DIR ?? 'models/lpips' },
    out: { type: 'string', default: 'build/bench-gpu' },
  },
});
const int = (name: keyof typeof args): number => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < 0)
    throw new Error(`--${name} must be a non-negative integer; got ${args[name]}`);
  return v;
};
const SIZE = int('size');
const CROP = int('crop');
const CROPS = int('crops');
const SELECTION = int('selection');
const STEPS = int('steps');
const REFERENCE_STEPS = args['reference-steps'] === undefined ? STEPS : int('reference-steps');
const AGREEMENT = !args['no-agreement'];
const RUNS = Math.max(1, int('runs'));
const MODELS = args.models.split(',').filter(Boolean);
const BACKENDS = args.backends.split(',').filter(Boolean) as BackendName[];
const MODELS_DIR = resolve(args['models-dir']);
const STAGE1_DIR = resolve(args['stage1-dir'] ?? join(MODELS_DIR, 'lway-degradation', 'x4'));
const LPIPS_DIR = resolve(args['lpips-dir']);
const ADAPT_MODEL = 'realesr-general-x4v3';

/** One backend's figures; null where not measured (model not run, backend failed). */
interface BackendRow {
  backend: string;
  device: string;
  inference: Record<string, number | null>;
  forwardGflops: number | null;
  stepMs: number | null;
  stepGflop: number | null;
  stepGflops: number | null;
  stepOverForward: number | null;
  adaptSeconds: number | null;
  adaptStepsRun: number | null;
  adaptStopReason: string | null;
  /** Worst relative error of the 2-step cross-backend case against cpu; 0 on cpu itself. */
  agreementVsCpu: number | null;
  error?: string;
}

/** Median seconds of `f` over RUNS runs after one untimed warm-up (kernel compilation, weight upload). */
async function timeIt(f: () => Promise<unknown>): Promise<number> {
  await f();
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
}

/** Deterministic RGB Pixels (the content does not change the speed; the noise guard sees a clean image). */
function testPixels(size: number): Pixels {
  const t = testLrImage(size, size);
  const data = Uint8Array.from(t.dataSync(), (v) => Math.round(v * 255));
  t.dispose();
  return { data, width: size, height: size, channels: 3 };
}

function deviceName(backend: BackendName): string {
  if (backend === 'webgpu') return webGpuSourceAdapter()?.name ?? 'browser adapter';
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return backend === 'wasm' ? `${cpu} (wasm SIMD, 1 thread)` : cpu;
}

const sources: AdaptStepSources = {
  model: fileFetchBytes(join(MODELS_DIR, ADAPT_MODEL)),
  stage1: fileFetchBytes(STAGE1_DIR),
  lpips: existsSync(join(LPIPS_DIR, 'alex.weights.json')) ? fileFetchBytes(LPIPS_DIR) : undefined,
};

let stepFlops: number | undefined;
let forwardFlops: number | undefined;

/** A row with nothing measured yet: every figure null, so a failed backend still prints a full row. */
function emptyRow(backend: BackendName): BackendRow {
  return {
    backend,
    device: '',
    inference: Object.fromEntries(MODELS.map((m) => [m, null])),
    forwardGflops: null,
    stepMs: null,
    stepGflop: null,
    stepGflops: null,
    stepOverForward: null,
    adaptSeconds: null,
    adaptStepsRun: null,
    adaptStopReason: null,
    agreementVsCpu: null,
  };
}

let cpuTrace: AdaptStepTrace | undefined;

/** The cross-backend case on `backend`, against cpu's (computed once, on first use); restores `backend`. */
async function agreementWithCpu(backend: BackendName): Promise<number> {
  if (!cpuTrace) {
    await selectBackend('cpu');
    cpuTrace = await runCrossBackendCase(sources);
    await selectBackend(backend);
  }
  if (backend === 'cpu') return 0;
  return worstError(compareTraces(await runCrossBackendCase(sources), cpuTrace));
}

async function measure(backend: BackendName): Promise<BackendRow> {
  const row = emptyRow(backend);
  await selectBackend(backend);
  row.device = deviceName(backend);
  console.error(`[bench:gpu] ${backend} on ${row.device}`);

  const input = testPixels(SIZE);
  for (const id of MODELS) {
    const model = await getModelDefinition(id).load({ fetchBytes: fileFetchBytes(join(MODELS_DIR, id)) });
    try {
      const s = await timeIt(() => upscale(model, input));
      row.inference[id] = (SIZE * SIZE) / 1e6 / s;
      console.error(`[bench:gpu] ${backend} ${id} ${SIZE}x${SIZE}: ${s.toFixed(3)} s`);
    } finally {
      model.dispose();
    }
  }

  if (CROPS > 0) {
    const selection = testLrImage(SELECTION, SELECTION);
    const batch = testLrImage(CROP, CROP, CROPS);
    const kit = await loadAdaptStepKit(ADAPT_MODEL, sources, selection);
    try {
      const forward = async () => {
        const y = kit.model.predict(batch);
        await y.data();
        y.dispose();
      };
      forwardFlops ??= await countFlops(forward);
      const fwdS = await timeIt(forward);
      row.forwardGflops = forwardFlops / fwdS / 1e9;
      const step = () => runAdaptSteps(kit, batch, 1, { trace: false });
      stepFlops ??= await countFlops(step);
      const stepS = await timeIt(step);
      row.stepMs = stepS * 1000;
      row.stepGflop = stepFlops / 1e9;
      row.stepGflops = stepFlops / stepS / 1e9;
      row.stepOverForward = row.stepGflops / row.forwardGflops;
      console.error(`[bench:gpu] ${backend} forward ${fwdS.toFixed(3)} s, step ${stepS.toFixed(3)} s`);
    } finally {
      kit.dispose();
      tf.dispose([selection, batch]);
    }
  }

  const steps = backend === 'webgpu' || backend === 'webgl' ? STEPS : REFERENCE_STEPS;
  if (steps > 0) {
    const pixels = testPixels(SELECTION);
    const selection = testLrImage(SELECTION, SELECTION);
    const kit = await loadAdaptStepKit(ADAPT_MODEL, sources, selection);
    try {
      const t0 = performance.now();
      const adapted = await adapt(kit.model, pixels, {
        operator: kit.operator,
        lpips: kit.lpips ? (a, b) => kit.lpips!.distance(a, b).mean() : undefined,
        steps,
      });
      row.adaptSeconds = (performance.now() - t0) / 1000;
      row.adaptStepsRun = adapted.report.stepsRun;
      row.adaptStopReason = adapted.report.stopReason;
      adapted.dispose();
      console.error(`[bench:gpu] ${backend} adapt ${steps} steps: ${row.adaptSeconds.toFixed(1)} s`);
    } finally {
      kit.dispose();
      selection.dispose();
    }
  }

  if (AGREEMENT) {
    row.agreementVsCpu = await agreementWithCpu(backend);
    console.error(
      `[bench:gpu] ${backend} vs cpu, 2 steps: worst relative error ${row.agreementVsCpu.toExponential(2)}`,
    );
  }
  return row;
}

const f = (v: number | null, digits: number): string => (v === null ? '—' : v.toFixed(digits));
const mps = (v: number | null): string => (v === null ? '—' : v >= 0.1 ? v.toFixed(3) : v.toPrecision(3));

/** a / b (b / a for times), so above 1 always means faster than wasm. */
function ratio(a: number | null, b: number | null, inverse = false): string {
  if (a === null || b === null || a === 0 || b === 0) return '—';
  return `${(inverse ? b / a : a / b).toPrecision(3)}x`;
}

/** Seconds of the full adapt() and, where a row ran other than --steps steps, how many. */
function adaptCell(r: BackendRow): string {
  if (r.adaptSeconds === null) return '—';
  const stop = r.adaptStopReason && r.adaptStopReason !== 'completed' ? `, ${r.adaptStopReason}` : '';
  const n = r.adaptStepsRun ?? 0;
  return `${r.adaptSeconds.toFixed(1)}${n !== STEPS || stop ? ` (${n} steps${stop})` : ''}`;
}

/** Seconds per step of the full adapt(), for the ratio row when rows ran different step counts. */
const perAdaptStep = (r: BackendRow): number | null =>
  r.adaptSeconds === null || !r.adaptStepsRun ? null : r.adaptSeconds / r.adaptStepsRun;

function markdown(rows: BackendRow[], date: string): string {
  const lines = [
    `bench:gpu ${date}: ${MODELS.length ? `inference on ${SIZE}x${SIZE} (tiled upscale), ` : ''}adaptation batch ${CROPS} x ${CROP}x${CROP} ` +
      `(${ADAPT_MODEL}, stage-1 R, ${sources.lpips ? 'default objective, LPIPS-alex anchor' : 'L1 only: no LPIPS weights'}), ` +
      `adapt() of ${STEPS} steps on ${SELECTION}x${SELECTION}; medians of ${RUNS} after a warm-up` +
      (AGREEMENT
        ? '; vs cpu: worst relative error of the 2-step cross-backend case (loss, gradients, weights)'
        : ''),
    '',
    `| backend | device | ${MODELS.map((m) => `${m} MP/s | `).join('')}forward GFLOPS | step ms | step GFLOP | step GFLOPS | step / forward | ${STEPS} steps (s) | vs cpu |`,
    `| --- | --- | ${MODELS.map(() => '---: | ').join('')}---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.backend} | ${r.error ? `failed: ${r.error}` : r.device} | ${MODELS.map((m) => `${mps(r.inference[m])} | `).join('')}` +
        `${f(r.forwardGflops, 2)} | ${f(r.stepMs, 0)} | ${f(r.stepGflop, 2)} | ${f(r.stepGflops, 2)} | ` +
        `${r.stepOverForward === null ? '—' : `${(100 * r.stepOverForward).toFixed(0)} %`} | ${adaptCell(r)} | ` +
        `${r.agreementVsCpu === null ? '—' : r.agreementVsCpu.toExponential(1)} |`,
    );
  }
  const wasm = rows.find((r) => r.backend === 'wasm' && !r.error);
  for (const r of rows) {
    if (!wasm || r === wasm || r.error) continue;
    lines.push(
      `| ${r.backend} speed / wasm | | ${MODELS.map((m) => `${ratio(r.inference[m], wasm.inference[m])} | `).join('')}` +
        `${ratio(r.forwardGflops, wasm.forwardGflops)} | ${ratio(r.stepMs, wasm.stepMs, true)} | | ` +
        `${ratio(r.stepGflops, wasm.stepGflops)} | | ${ratio(perAdaptStep(r), perAdaptStep(wasm), true)}${
          r.adaptStepsRun !== wasm.adaptStepsRun ? ' per step' : ''
        } | |`,
    );
  }
  return lines.join('\n');
}

setWebGpuSource(nodeWebGpuSource);
const date = new Date().toISOString().slice(0, 10);
const rows: BackendRow[] = [];
for (const backend of BACKENDS) {
  try {
    rows.push(await measure(backend));
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    console.error(`[bench:gpu] ${backend}: ${message}`);
    rows.push({ ...emptyRow(backend), error: message });
  }
}
const table = markdown(rows, date);
const out = resolve(args.out);
mkdirSync(dirname(out), { recursive: true });
const json = {
  date,
  node: process.version,
  options: {
    size: SIZE,
    models: MODELS,
    crop: CROP,
    crops: CROPS,
    selection: SELECTION,
    steps: STEPS,
    referenceSteps: REFERENCE_STEPS,
    agreement: AGREEMENT,
    runs: RUNS,
  },
  lpips: sources.lpips !== undefined,
  forwardFlops: forwardFlops ?? null,
  stepFlops: stepFlops ?? null,
  rows,
};
writeFileSync(`${out}.json`, `${JSON.stringify(json, null, 2)}\n`);
writeFileSync(`${out}.md`, `${table}\n`);
console.log(table);
console.error(`[bench:gpu] wrote ${out}.json and ${out}.md`);
