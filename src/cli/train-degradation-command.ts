import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  BACKEND_PREFERENCE,
  selectBackend,
  type BackendName,
  LwayError,
  tryLoadLpips,
  type Lpips,
  createStage1Networks,
  loadStage1,
  serializeStage1,
  type Stage1Artifacts,
  type Stage1Networks,
  DEFAULT_STAGE1_TRAINING_OPTIONS,
  Stage1Trainer,
  type DegradationPresetName,
  DEGRADATION_PRESET_NAMES,
  isDegradationPresetName,
} from '../core/index.js';
import {
  fileFetchBytes,
  lpipsFetchBytes,
  writeLossPlot,
  type LossRow,
  exportStage1Checkpoint,
  loadStage1Folder,
  createTrainingCropSampler,
  workerBatchSourceFactory,
} from '../node/index.js';

/** Options of `lway train-degradation` (and of {@link runTrainDegradation}). */
export interface TrainDegradationOptions {
  readonly data: string;
  readonly scale: number;
  readonly steps: number;
  readonly batch: number;
  readonly crop: number;
  readonly out: string;
  readonly resume?: boolean;
  readonly backend?: BackendName | 'auto';
  readonly learningRate?: number;
  /** 0 trains on L1 alone. */
  readonly lpipsWeight?: number;
  readonly lpipsDir?: string;
  readonly seed?: number;
  readonly checkpointEvery?: number;
  readonly width?: number;
  readonly depth?: number;
  readonly embeddingDim?: number;
  readonly encoderChannels?: readonly number[];
  readonly encoderHidden?: number;
  readonly quiet?: boolean;
  /** Synthesise batches in a worker thread (overlaps data and training). Default true. */
  readonly worker?: boolean;
  /**
   * Start from the weights of another stage-1 folder (weights.json, else checkpoint.json) with a fresh optimiser
   * and step 0: fine-tuning on a new degradation mix. The network sizes come from that folder.
   */
  readonly init?: string;
  /** Relative frequency of each degradation preset (default: DEFAULT_STAGE1_TRAINING_OPTIONS.presetMix). */
  readonly presetMix?: Readonly<Partial<Record<DegradationPresetName, number>>>;
}

export interface TrainDegradationResult {
  readonly backend: BackendName;
  readonly startStep: number;
  readonly step: number;
  readonly secondsPerStep: number;
  /** Process CPU time per step (user + system): steadier than wall time on a shared machine. */
  readonly cpuSecondsPerStep: number;
  readonly lastLoss: number;
  readonly lpips: boolean;
}

const CSV_HEADER = 'step,loss,l1,lpips,seconds\n';

async function writeArtifacts(dir: string, name: string, art: Stage1Artifacts): Promise<void> {
  // write-then-rename so an interrupted save never leaves a half-written checkpoint behind
  const json = join(dir, `${name}.json`);
  const bin = join(dir, `${name}.bin`);
  await writeFile(`${bin}.tmp`, new Uint8Array(art.weightData));
  await writeFile(`${json}.tmp`, JSON.stringify(art.manifest, null, 1));
  await rename(`${bin}.tmp`, bin);
  await rename(`${json}.tmp`, json);
}

/** Log lines (without header) up to and including `upToStep`, and their parsed rows. */
async function readLog(path: string, upToStep: number): Promise<{ lines: string[]; rows: LossRow[] }> {
  if (!existsSync(path)) return { lines: [], rows: [] };
  const lines = (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .filter((l) => Number(l.split(',')[0]) <= upToStep);
  const rows = lines.map((l) => {
    const [step, loss, l1, lpips] = l.split(',').map(Number);
    return { step, loss, l1, lpips };
  });
  return { lines, rows };
}

/**
 * Trains (or resumes) E and R for one scale and writes to `out`: weights.{json,bin} (the model), checkpoint.{json,bin}
 * (plus Adam state, step and RNG state), loss.csv and loss.png. Progress with ETA goes to stderr.
 */
export async function runTrainDegradation(o: TrainDegradationOptions): Promise<TrainDegradationResult> {
  const backend = await selectBackend(o.backend ?? 'auto');
  await mkdir(o.out, { recursive: true });
  const ckptJson = join(o.out, 'checkpoint.json');
  const csvPath = join(o.out, 'loss.csv');
  let nets: Stage1Networks;
  let restoreFrom: Awaited<ReturnType<typeof loadStage1>> | null = null;
  if (o.resume) {
    if (!existsSync(ckptJson)) throw new LwayError('BAD_INPUT', `--resume: no checkpoint at ${ckptJson}`);
    restoreFrom = await loadStage1(fileFetchBytes(o.out), { file: 'checkpoint.json' });
    if (restoreFrom.manifest.scale !== o.scale) {
      throw new LwayError(
        'BAD_INPUT',
        `--resume: checkpoint is x${restoreFrom.manifest.scale}; --scale is ${o.scale}`,
      );
    }
    nets = restoreFrom;
  } else if (o.init) {
    const init = await loadStage1Folder(resolve(o.init));
    for (const t of Object.values(init.extra)) t.dispose();
    if (init.manifest.scale !== o.scale) {
      init.encoder.dispose();
      init.reconstructor.dispose();
      throw new LwayError('BAD_INPUT', `--init: ${o.init} is x${init.manifest.scale}; --scale is ${o.scale}`);
    }
    nets = init;
  } else {
    nets = createStage1Networks(o.scale, {
      seed: o.seed ?? 1,
      encoder: {
        ...(o.encoderChannels ? { channels: o.encoderChannels } : {}),
        ...(o.encoderHidden ? { hidden: o.encoderHidden } : {}),
        ...(o.embeddingDim ? { embeddingDim: o.embeddingDim } : {}),
      },
      reconstructor: { ...(o.width ? { width: o.width } : {}), ...(o.depth ? { depth: o.depth } : {}) },
    });
  }

  const lpipsWeight = o.lpipsWeight ?? DEFAULT_STAGE1_TRAINING_OPTIONS.lpipsWeight;
  let lpips: Lpips | null = null;
  if (lpipsWeight > 0) {
    const r = await tryLoadLpips('alex', o.lpipsDir ? fileFetchBytes(o.lpipsDir) : lpipsFetchBytes());
    if (r.ok) lpips = r.lpips;
    else console.error(`warning ${r.warning.code}: ${r.warning.message}`);
  }
  const { sampler, files } = await createTrainingCropSampler(o.data);

  const rows: LossRow[] = [];
  const bar = o.quiet
    ? null
    : new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'train x{scale} [{bar}] {value}/{total} | loss {loss} | {sps} s/step | ETA {eta_formatted}',
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
  let trainer: Stage1Trainer | null = null;
  let seconds = 0;
  let stepsRun = 0;
  let lastLoss = NaN;
  const pending: string[] = [];
  try {
    trainer = new Stage1Trainer(nets, {
      ...DEFAULT_STAGE1_TRAINING_OPTIONS,
      steps: o.steps,
      batch: o.batch,
      crop: o.crop,
      learningRate: o.learningRate ?? DEFAULT_STAGE1_TRAINING_OPTIONS.learningRate,
      lpipsWeight,
      lpips,
      presetMix: o.presetMix ?? savedPresetMix(restoreFrom) ?? DEFAULT_STAGE1_TRAINING_OPTIONS.presetMix,
      seed: o.seed ?? DEFAULT_STAGE1_TRAINING_OPTIONS.seed,
      sampleCrop: sampler,
      ...(o.worker === false ? {} : { batchSource: workerBatchSourceFactory(o.data) }),
      checkpointEvery: o.checkpointEvery ?? DEFAULT_STAGE1_TRAINING_OPTIONS.checkpointEvery,
      onStep: (s) => {
        rows.push({ step: s.step, loss: s.loss, l1: s.l1, lpips: s.lpips });
        seconds += s.seconds;
        stepsRun++;
        lastLoss = s.loss;
        pending.push(`${s.step},${s.loss},${s.l1},${s.lpips},${s.seconds.toFixed(3)}\n`);
        bar?.update(s.step, {
          loss: s.loss.toFixed(4),
          sps: (seconds / stepsRun).toFixed(2),
          scale: o.scale,
        });
      },
      onCheckpoint: async (art) => {
        await writeArtifacts(o.out, 'checkpoint', art);
        await appendFile(csvPath, pending.join(''));
        pending.length = 0;
      },
    });
    if (restoreFrom) {
      trainer.restore(restoreFrom);
      for (const t of Object.values(restoreFrom.extra)) t.dispose();
      // drop log rows past the checkpoint (they were from a run that did not reach its next save)
      const kept = await readLog(csvPath, trainer.step);
      await writeFile(csvPath, CSV_HEADER + kept.lines.map((l) => `${l}\n`).join(''));
      rows.push(...kept.rows);
    } else {
      await writeFile(csvPath, CSV_HEADER);
    }
    const startStep = trainer.step;
    if (!o.quiet) {
      console.error(
        `train-degradation x${o.scale} on ${backend}: ${files.length} images, batch ${o.batch}, crop ${o.crop}, ` +
          `E ${nets.encoder.params.count()} + R ${nets.reconstructor.params.count()} params, ` +
          `loss L1${lpips ? ` + ${lpipsWeight} LPIPS(alex)` : ' only'}, steps ${startStep} -> ${o.steps}, ` +
          `presets ${formatPresetMix(trainer.options.presetMix)}${o.init ? `, from ${o.init}` : ''}`,
      );
    }
    bar?.start(o.steps, startStep, { loss: '-', sps: '-', scale: o.scale });
    const cpu0 = process.cpuUsage();
    await trainer.run();
    const cpu = process.cpuUsage(cpu0);
    bar?.stop();
    await writeArtifacts(
      o.out,
      'weights',
      await serializeStage1(nets, {
        training: {
          step: trainer.step,
          seed: o.seed ?? 1,
          presetMix: trainer.options.presetMix,
          ...(o.init ? { initFrom: o.init } : {}),
        },
      }),
    );
    await writeLossPlot(rows, join(o.out, 'loss.png'));
    return {
      backend,
      startStep,
      step: trainer.step,
      secondsPerStep: stepsRun ? seconds / stepsRun : NaN,
      cpuSecondsPerStep: stepsRun ? (cpu.user + cpu.system) / 1e6 / stepsRun : NaN,
      lastLoss,
      lpips: lpips !== null,
    };
  } finally {
    bar?.stop();
    trainer?.dispose();
    nets.encoder.dispose();
    nets.reconstructor.dispose();
    lpips?.dispose();
  }
}

/** The preset mix a checkpoint was trained with (checkpoints from before it was recorded have none). */
function savedPresetMix(
  loaded: Awaited<ReturnType<typeof loadStage1>> | null,
): Partial<Record<DegradationPresetName, number>> | undefined {
  const mix = loaded?.manifest.training?.presetMix;
  if (!mix || typeof mix !== 'object') return undefined;
  return parsePresetMix(formatPresetMix(mix as Record<string, number>));
}

function formatPresetMix(mix: Readonly<Partial<Record<string, number>>>): string {
  return Object.entries(mix)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Parses `name=weight,...` into a preset mix; unknown names, bad or all-zero weights are refused. */
export function parsePresetMix(v: string): Partial<Record<DegradationPresetName, number>> {
  const mix: Partial<Record<DegradationPresetName, number>> = {};
  for (const part of v.split(',')) {
    const [name, w] = part.split('=');
    if (!isDegradationPresetName(name.trim())) {
      throw new InvalidArgumentError(
        `--preset-mix: unknown preset '${name}' (presets: ${DEGRADATION_PRESET_NAMES.join(', ')})`,
      );
    }
    const weight = Number(w);
    if (w === undefined || !Number.isFinite(weight) || weight < 0) {
      throw new InvalidArgumentError(`--preset-mix: '${part}' needs a weight >= 0, e.g. ${name}=0.5`);
    }
    mix[name.trim() as DegradationPresetName] = weight;
  }
  if (!Object.values(mix).some((x) => x > 0)) {
    throw new InvalidArgumentError('--preset-mix: at least one preset needs a weight > 0');
  }
  return mix;
}

const int = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new InvalidArgumentError(`${name} must be an integer >= ${min}; got ${v}`);
  return n;
};
const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number >= 0; got ${v}`);
  return n;
};

/** Registers `lway train-degradation`. */
export function registerTrainDegradationCommand(program: Command): void {
  program
    .command('train-degradation')
    .description(
      'train the LWay degradation encoder E and reconstructor R (stage 1) on synthetic degradations',
    )
    .option('--data <dir>', 'folder of HR training photos', '../shared/data/train')
    .addOption(new Option('--scale <n>', 'SR scale').choices(['2', '3', '4']).default('4'))
    .option('--steps <n>', 'train until this step (required unless --export)', int('--steps', 1))
    .option('--batch <n>', 'crops per step', int('--batch', 1), DEFAULT_STAGE1_TRAINING_OPTIONS.batch)
    .option(
      '--crop <n>',
      'HR crop side (multiple of scale)',
      int('--crop', 16),
      DEFAULT_STAGE1_TRAINING_OPTIONS.crop,
    )
    .requiredOption('--out <dir>', 'output folder, e.g. models/lway-degradation/x4')
    .option('--resume', 'continue from <out>/checkpoint.json')
    .option(
      '--init <dir>',
      'start from the weights in another stage-1 folder (fresh optimiser, step 0): fine-tune on a new --preset-mix',
    )
    .option(
      '--preset-mix <list>',
      `degradation presets and their relative weights, e.g. phone=0.35,realesrgan=0.35,bicubic=0.1 (default ${formatPresetMix(DEFAULT_STAGE1_TRAINING_OPTIONS.presetMix)}; presets: ${DEGRADATION_PRESET_NAMES.join(', ')})`,
      parsePresetMix,
    )
    .option(
      '--export',
      'do not train: write <out>/weights.{json,bin} (+ loss.png) from <out>/checkpoint.{json,bin}, e.g. of a run in progress',
    )
    .addOption(
      new Option('--backend <name>', 'TF.js backend')
        .choices(['auto', ...BACKEND_PREFERENCE])
        .default('auto'),
    )
    .option('--lr <x>', 'Adam learning rate', num('--lr'), DEFAULT_STAGE1_TRAINING_OPTIONS.learningRate)
    .option(
      '--lpips-weight <x>',
      'LPIPS(alex) weight; 0 = L1 only',
      num('--lpips-weight'),
      DEFAULT_STAGE1_TRAINING_OPTIONS.lpipsWeight,
    )
    .option('--lpips-dir <dir>', 'LPIPS weights folder (default $LWAY_LPIPS_DIR, else models/lpips)')
    .option('--seed <n>', 'data and init seed', int('--seed', 0), 1)
    .option('--checkpoint-every <n>', 'steps between checkpoints', int('--checkpoint-every', 1), 200)
    .option('--width <n>', 'R channels', int('--width', 4))
    .option('--depth <n>', 'R convs', int('--depth', 2))
    .option('--embedding-dim <n>', 'embedding dimension d', int('--embedding-dim', 1))
    .option('--encoder-channels <list>', 'E conv channels, comma-separated', (v: string) =>
      v.split(',').map((x) => int('--encoder-channels', 1)(x)),
    )
    .option('--encoder-hidden <n>', 'E MLP hidden width', int('--encoder-hidden', 1))
    .option(
      '--no-worker',
      'synthesise batches on the main thread (default: in a worker thread, overlapping training)',
    )
    .option('--quiet', 'no progress bar')
    .action(async (opts: Record<string, unknown>) => {
      if (opts.export) {
        await selectBackend((opts.backend as BackendName | 'auto' | undefined) ?? 'auto');
        const out = resolve(opts.out as string);
        const step = await exportStage1Checkpoint(out);
        const csv = join(out, 'loss.csv');
        if (existsSync(csv)) await writeLossPlot((await readLog(csv, step)).rows, join(out, 'loss.png'));
        console.error(`exported step ${step} to ${join(out, 'weights.json')}`);
        return;
      }
      if (opts.resume && opts.init)
        throw new LwayError('BAD_INPUT', '--resume and --init exclude each other');
      if (opts.steps === undefined) throw new LwayError('BAD_INPUT', '--steps is required (unless --export)');
      const r = await runTrainDegradation({
        ...(opts as unknown as TrainDegradationOptions),
        scale: Number(opts.scale),
        learningRate: opts.lr as number,
        out: resolve(opts.out as string),
      });
      console.error(
        `done: step ${r.step} (from ${r.startStep}) on ${r.backend}, ${r.secondsPerStep.toFixed(2)} s/step (CPU ${r.cpuSecondsPerStep.toFixed(2)} s/step), last loss ${r.lastLoss.toFixed(4)}`,
      );
    });
}
