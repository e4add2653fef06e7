import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  BACKEND_PREFERENCE,
  CORRECTION_MODES,
  DEFAULT_ADAPT_OPTIONS,
  LwayError,
  OPERATOR_CHOICES,
  correctOutput,
  defaultCorrectionFor,
  finishOutput,
  pixelsToTensor,
  predictPixels,
  psnr,
  psnrY,
  selectBackend,
  ssim,
  tf,
  type AdaptReport,
  type InputJudgement,
  type BackendName,
  type CorrectionMode,
  type Lpips,
  type OperatorChoice,
  type Pixels,
  type SessionAdaptOptions,
} from '../core/index.js';
import { loadPresetModel, createNodeAdaptSession } from '../node/index.js';
import { isImagePath, readImage, writeImage } from './image-io.js';

/** Options of `lway bench` (and of {@link runBench}). */
export interface BenchOptions {
  /** Folder holding LR/ and HR/ with matching file names (HR = scale x LR). */
  readonly pairs: string;
  readonly model: string;
  readonly steps: number;
  readonly strength: number;
  readonly maxImages?: number;
  readonly json?: string;
  readonly learningRate?: number;
  readonly cropSize?: number;
  readonly cropsPerStep?: number;
  readonly residualSigma?: number;
  readonly maxNoiseSigma?: number;
  readonly holdoutFraction?: number;
  readonly maxDeviation?: number;
  /**
   * Reconstruction operator: `r` (trained stage-1 R(y, E(x)), E computed once per LR), `known` (blur `blurSigma` +
   * area downscale) or `auto` (default: r when models/lway-degradation/x<scale>/ has weights, else known + notice).
   */
  readonly operator?: OperatorChoice;
  /** Stage-1 folder for `r` (default models/lway-degradation/x<scale>/). */
  readonly stage1Dir?: string;
  /** Blur sigma (HR px) of the known-degradation operator. Default 2. */
  readonly blurSigma?: number;
  /** Also adapt once on all LR images together and score every image with that model (LWay Table 2). */
  readonly collective?: boolean;
  /** LPIPS-alex in the loss too, as the product does (default true; it is always a metric when its weights load). */
  readonly lpipsLoss?: boolean;
  /** Adaptation loss options beyond the CLI's (defaults: the product's). */
  readonly lpipsWeight?: number;
  readonly anchorWeight?: number;
  readonly toneInLoop?: boolean;
  readonly paramFraction?: number;
  /**
   * Closed-form correction of the adapted output (default: 'tone' when adaptation fits tone in its loss, as the
   * product does, else 'none').
   */
  readonly correction?: CorrectionMode;
  /** Let the clean-input gate pick the anchor, learning rate and residual low-pass (default true). */
  readonly inputGate?: boolean;
  /** The flat-region guard on the adapted output, as the product does (default true). */
  readonly flatGuard?: boolean;
  readonly backend?: BackendName | 'auto';
  readonly quiet?: boolean;
  /**
   * A folder to write each image's raw outputs to (`<name>-unadapted.png`, `<name>-adapted.png`, before any
   * correction), so that post-processing can be studied without adapting again. Off by default.
   */
  readonly saveOutputs?: string;
}

/** Image-quality figures of one SR output against its HR (border = scale cropped). lpips is null without weights. */
export interface BenchMetrics {
  readonly psnr: number;
  readonly ssim: number;
  readonly lpips: number | null;
  readonly psnr_y: number;
  readonly ssim_y: number;
}

/** The closed-form corrections of the unadapted output that every adaptation figure stands next to. */
export type ControlName = Exclude<CorrectionMode, 'none'>;
export const CONTROL_NAMES: readonly ControlName[] = ['tone', 'ibp', 'tone+ibp'];
export type ControlMetrics = Readonly<Record<ControlName, BenchMetrics>>;

export interface BenchImageResult {
  readonly name: string;
  /** Adaptation plus adapted inference, in seconds. */
  readonly seconds: number;
  readonly baseline: BenchMetrics;
  readonly adapted: BenchMetrics;
  /** The unadapted output after each closed-form correction (milliseconds each). */
  readonly controls: ControlMetrics;
  readonly report: Pick<AdaptReport, 'stepsRun' | 'stopReason' | 'bestStep' | 'noiseSigma' | 'deviation'> & {
    readonly initialHeldOutLoss: number;
    readonly bestHeldOutLoss: number;
  };
  /** The clean-input gate's verdict (absent without a gate). */
  readonly judgement?: InputJudgement;
}

/** The `--json` shape. */
export interface BenchResult {
  readonly model: string;
  readonly steps: number;
  readonly strength: number;
  readonly backend: string;
  readonly operator: string;
  /** Whether the adapted outputs were scored after the flat-region guard (the product's output). */
  readonly flatGuard: boolean;
  readonly images: readonly BenchImageResult[];
  readonly mean: {
    readonly baseline: BenchMetrics;
    readonly adapted: BenchMetrics;
    readonly controls: ControlMetrics;
  };
  readonly collective?: {
    readonly seconds: number;
    readonly adapted: BenchMetrics;
    readonly report: BenchImageResult['report'];
  };
  readonly notices: readonly string[];
}

interface Pair {
  readonly name: string;
  readonly lr: Pixels;
  readonly hr: Pixels;
}

async function loadPairs(dir: string, maxImages: number | undefined): Promise<Pair[]> {
  const names = (await readdir(join(dir, 'LR'))).filter(isImagePath).sort();
  const picked = maxImages ? names.slice(0, maxImages) : names;
  if (picked.length === 0) throw new LwayError('BAD_INPUT', `no images in ${join(dir, 'LR')}`);
  return Promise.all(
    picked.map(async (name) => ({
      name: basename(name),
      lr: await readImage(join(dir, 'LR', name)),
      hr: await readImage(join(dir, 'HR', name)),
    })),
  );
}

async function measure(
  sr: Pixels,
  hr: Pixels,
  border: number,
  lpips: Lpips | undefined,
): Promise<BenchMetrics> {
  let lp: number | null = null;
  if (lpips) {
    const d = tf.tidy(() => lpips.distance(pixelsToTensor(sr), pixelsToTensor(hr)));
    lp = (await d.data())[0];
    d.dispose();
  }
  return {
    psnr: psnr(sr, hr, { border }),
    ssim: ssim(sr, hr, { border }),
    lpips: lp,
    psnr_y: psnrY(sr, hr, { border }),
    ssim_y: ssim(sr, hr, { border, channel: 'y' }),
  };
}

function meanOf(list: readonly BenchMetrics[]): BenchMetrics {
  const avg = (f: (m: BenchMetrics) => number | null): number =>
    list.reduce((s, m) => s + (f(m) ?? NaN), 0) / list.length;
  const lp = avg((m) => m.lpips);
  return {
    psnr: avg((m) => m.psnr),
    ssim: avg((m) => m.ssim),
    lpips: Number.isNaN(lp) ? null : lp,
    psnr_y: avg((m) => m.psnr_y),
    ssim_y: avg((m) => m.ssim_y),
  };
}

async function measureControls(
  lr: Pixels,
  unadapted: Pixels,
  hr: Pixels,
  border: number,
  lpips: Lpips | undefined,
): Promise<ControlMetrics> {
  const out: Partial<Record<ControlName, BenchMetrics>> = {};
  for (const name of CONTROL_NAMES)
    out[name] = await measure(correctOutput(lr, unadapted, name), hr, border, lpips);
  return out as ControlMetrics;
}

function meanOfControls(list: readonly ControlMetrics[]): ControlMetrics {
  const out: Partial<Record<ControlName, BenchMetrics>> = {};
  for (const name of CONTROL_NAMES) out[name] = meanOf(list.map((c) => c[name]));
  return out as ControlMetrics;
}

async function saveRawOutputs(dir: string, name: string, unadapted: Pixels, adapted: Pixels): Promise<void> {
  await mkdir(dir, { recursive: true });
  const stem = name.replace(/\.[^.]+$/, '');
  await writeImage(join(dir, `${stem}-unadapted.png`), unadapted);
  await writeImage(join(dir, `${stem}-adapted.png`), adapted);
}

const brief = (r: AdaptReport): BenchImageResult['report'] => ({
  stepsRun: r.stepsRun,
  stopReason: r.stopReason,
  bestStep: r.bestStep,
  noiseSigma: r.noiseSigma,
  deviation: r.deviation,
  initialHeldOutLoss: r.initialHeldOutLoss,
  bestHeldOutLoss: r.bestHeldOutLoss,
});

/**
 * Runs the quality benchmark: for each LR/HR pair, the unadapted and the adapted model (adapted to that LR alone),
 * scored against HR. The reconstruction operator is chosen by `operator` (see BenchOptions). Logs progress lines
 * unless `quiet`.
 */
export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const log = (s: string): void => {
    if (!o.quiet) console.error(s);
  };
  const backend = await selectBackend(o.backend ?? 'auto');
  const pairs = await loadPairs(o.pairs, o.maxImages);
  const model = await loadPresetModel(o.model);
  const notices: string[] = [];
  const session = createNodeAdaptSession({
    choice: o.operator,
    stage1Dir: o.stage1Dir,
    blurSigma: o.blurSigma,
  });
  // The session's LPIPS-alex is both the loss's and the metric's.
  const lpipsLoad = await session.lpips();
  const lpips = lpipsLoad.ok ? lpipsLoad.lpips : undefined;
  if (!lpipsLoad.ok) notices.push(lpipsLoad.warning.message);
  const operators = await session.operatorFor(model.scale);
  if (operators.notice) {
    notices.push(operators.notice.message);
    log(`notice: ${operators.notice.message}`);
  }
  const lpipsLoss = o.lpipsLoss ?? true;
  const adaptOptions: SessionAdaptOptions = {
    steps: o.steps,
    strength: o.strength,
    learningRate: o.learningRate,
    cropSize: o.cropSize,
    cropsPerStep: o.cropsPerStep,
    residualSigma: o.residualSigma,
    maxNoiseSigma: o.maxNoiseSigma,
    holdoutFraction: o.holdoutFraction,
    maxDeviation: o.maxDeviation,
    // --no-lpips-loss: the weighted L1 term alone.
    lpipsWeight: lpipsLoss ? o.lpipsWeight : 0,
    anchorWeight: lpipsLoss ? o.anchorWeight : 0,
    toneInLoop: o.toneInLoop,
    paramFraction: o.paramFraction,
    inputGate: o.inputGate,
  };
  const correction = o.correction ?? defaultCorrectionFor(o.toneInLoop);
  const guard = o.flatGuard ?? true;
  try {
    const images: BenchImageResult[] = [];
    // Each LR's unadapted output, kept for the collective run's flat-region guard (no second forward pass).
    const unadaptedOutputs: Pixels[] = [];
    const keepUnadapted = o.collective === true && guard;
    for (const p of pairs) {
      if (p.hr.width !== p.lr.width * model.scale || p.hr.height !== p.lr.height * model.scale) {
        throw new LwayError(
          'BAD_INPUT',
          `${p.name}: HR must be ${model.scale}x the LR; got ${p.lr.width}x${p.lr.height} and ${p.hr.width}x${p.hr.height}`,
        );
      }
      const unadapted = await predictPixels(model, p.lr);
      if (keepUnadapted) unadaptedOutputs.push(unadapted);
      const baseline = await measure(unadapted, p.hr, model.scale, lpips);
      const controls = await measureControls(p.lr, unadapted, p.hr, model.scale, lpips);
      const t0 = Date.now();
      const lease = await session.adapt(model, p.lr, adaptOptions);
      const adapted = { model: lease.model, report: lease.report! };
      try {
        const raw = await predictPixels(adapted.model, p.lr);
        if (o.saveOutputs) await saveRawOutputs(o.saveOutputs, p.name, unadapted, raw);
        const sr = finishOutput(p.lr, raw, { correction, ...(guard ? { reference: unadapted } : {}) });
        const seconds = (Date.now() - t0) / 1000;
        const scored = await measure(sr, p.hr, model.scale, lpips);
        images.push({
          name: p.name,
          seconds,
          baseline,
          adapted: scored,
          controls,
          report: brief(adapted.report),
          ...(lease.judgement ? { judgement: lease.judgement } : {}),
        });
        const verdict = lease.judgement
          ? `, ${lease.judgement.kind} p=${lease.judgement.probability.toFixed(2)}`
          : '';
        log(
          `${p.name}: PSNR ${baseline.psnr.toFixed(2)} -> ${scored.psnr.toFixed(2)} dB ` +
            `(${adapted.report.stopReason}, best step ${adapted.report.bestStep}${verdict}, ${seconds.toFixed(1)} s)`,
        );
      } finally {
        lease.release();
      }
    }
    const result: BenchResult = {
      model: o.model,
      steps: o.steps,
      strength: o.strength,
      backend,
      operator: operators.description,
      flatGuard: guard,
      images,
      mean: {
        baseline: meanOf(images.map((i) => i.baseline)),
        adapted: meanOf(images.map((i) => i.adapted)),
        controls: meanOfControls(images.map((i) => i.controls)),
      },
      notices,
    };
    if (!o.collective) return result;
    const t0 = Date.now();
    const lrs = pairs.map((p) => p.lr);
    const lease = await session.adapt(model, lrs, adaptOptions);
    const shared = { model: lease.model, report: lease.report! };
    try {
      const scored: BenchMetrics[] = [];
      for (const [i, p] of pairs.entries()) {
        const raw = await predictPixels(shared.model, p.lr);
        const reference = guard ? unadaptedOutputs[i] : undefined;
        scored.push(
          await measure(finishOutput(p.lr, raw, { correction, reference }), p.hr, model.scale, lpips),
        );
      }
      const collective = {
        seconds: (Date.now() - t0) / 1000,
        adapted: meanOf(scored),
        report: brief(shared.report),
      };
      log(
        `collective: PSNR ${result.mean.baseline.psnr.toFixed(2)} -> ${collective.adapted.psnr.toFixed(2)} dB`,
      );
      return { ...result, collective };
    } finally {
      lease.release();
    }
  } finally {
    model.dispose();
    await session.dispose();
  }
}

const f = (v: number | null, digits: number): string =>
  v === null || Number.isNaN(v) ? '—' : v.toFixed(digits);

/** Best control by mean PSNR (the strongest cheap alternative the adapted output must beat). */
export function bestControl(r: BenchResult): ControlName {
  return CONTROL_NAMES.reduce((best, name) =>
    r.mean.controls[name].psnr > r.mean.controls[best].psnr ? name : best,
  );
}

/** Pass/fail of the quality bar against the unadapted model and the best control (see the README). */
export interface BenchVerdict {
  readonly bestControl: ControlName;
  /** Mean PSNR of the adapted output minus the best control's (target >= 0.5 dB). */
  readonly psnrOverBestControl: number;
  /** Mean LPIPS of the adapted output minus the lowest of the unadapted and the best control's (target < 0). */
  readonly lpipsOverBest: number | null;
  /** Lowest per-image PSNR change against the unadapted output (target >= -0.1 dB). */
  readonly worstPsnrChange: number;
  readonly worstPsnrImage: string;
  /** Highest per-image LPIPS change against the unadapted output (target <= 0.01). */
  readonly worstLpipsChange: number | null;
  readonly worstLpipsImage: string | null;
}

export function benchVerdict(r: BenchResult): BenchVerdict {
  const best = bestControl(r);
  const m = r.mean;
  const dp = r.images.map((i) => ({ name: i.name, d: i.adapted.psnr - i.baseline.psnr }));
  const worstP = dp.reduce((a, b) => (b.d < a.d ? b : a));
  const dl = r.images
    .filter((i) => i.adapted.lpips !== null && i.baseline.lpips !== null)
    .map((i) => ({ name: i.name, d: (i.adapted.lpips as number) - (i.baseline.lpips as number) }));
  const worstL = dl.length ? dl.reduce((a, b) => (b.d > a.d ? b : a)) : null;
  const lp = m.adapted.lpips;
  const ref =
    m.baseline.lpips === null || m.controls[best].lpips === null
      ? null
      : Math.min(m.baseline.lpips, m.controls[best].lpips as number);
  return {
    bestControl: best,
    psnrOverBestControl: m.adapted.psnr - m.controls[best].psnr,
    lpipsOverBest: lp === null || ref === null ? null : lp - ref,
    worstPsnrChange: worstP.d,
    worstPsnrImage: worstP.name,
    worstLpipsChange: worstL?.d ?? null,
    worstLpipsImage: worstL?.name ?? null,
  };
}

/**
 * The result as Markdown: one row per image with PSNR and LPIPS of the unadapted output, each closed-form control
 * and the adapted output; the means (with SSIM); then the verdict against the unadapted model and the best control.
 */
export function benchMarkdown(r: BenchResult): string {
  const cols = ['unadapted', ...CONTROL_NAMES, 'adapted'];
  const pick = (i: { baseline: BenchMetrics; adapted: BenchMetrics; controls: ControlMetrics }) => [
    i.baseline,
    ...CONTROL_NAMES.map((c) => i.controls[c]),
    i.adapted,
  ];
  const head =
    `| image | ${cols.map((c) => `PSNR ${c}`).join(' | ')} | ${cols.map((c) => `LPIPS ${c}`).join(' | ')} | s |\n` +
    `| --- |${' ---: |'.repeat(2 * cols.length + 1)}`;
  const row = (name: string, ms: BenchMetrics[], s: number | null): string =>
    `| ${name} | ${ms.map((m) => f(m.psnr, 2)).join(' | ')} | ${ms.map((m) => f(m.lpips, 4)).join(' | ')} | ${f(s, 1)} |`;
  const meanSeconds = r.images.reduce((s, i) => s + i.seconds, 0) / r.images.length;
  const lines = [
    `**${r.model}**, ${r.steps} steps, strength ${r.strength}, operator: ${r.operator}, backend ${r.backend}`,
    '',
    head,
    ...r.images.map((i) => row(i.name, pick(i), i.seconds)),
    row('**mean**', pick(r.mean), meanSeconds),
  ];
  if (r.collective) {
    lines.push(
      `| **collective** | ${cols.map((c) => (c === 'adapted' ? f(r.collective!.adapted.psnr, 2) : '')).join(' | ')} | ` +
        `${cols.map((c) => (c === 'adapted' ? f(r.collective!.adapted.lpips, 4) : '')).join(' | ')} | ${f(r.collective.seconds, 1)} |`,
    );
  }
  const ms = pick(r.mean);
  lines.push(
    '',
    `Mean SSIM: ${cols.map((c, k) => `${c} ${f(ms[k].ssim, 4)}`).join(', ')}; ` +
      `PSNR-Y: ${cols.map((c, k) => `${c} ${f(ms[k].psnr_y, 2)}`).join(', ')}.`,
  );
  const v = benchVerdict(r);
  const sign = (x: number | null, d: number): string =>
    x === null ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(d)}`;
  lines.push(
    '',
    `Adapted vs best control (${v.bestControl}): PSNR ${sign(v.psnrOverBestControl, 2)} dB (target >= +0.50), ` +
      `LPIPS vs min(unadapted, best control) ${sign(v.lpipsOverBest, 4)} (target < 0). ` +
      `Worst image vs unadapted: PSNR ${sign(v.worstPsnrChange, 2)} dB (${v.worstPsnrImage}; target >= -0.10), ` +
      `LPIPS ${sign(v.worstLpipsChange, 4)} (${v.worstLpipsImage ?? '—'}; target <= +0.0100).`,
  );
  for (const n of r.notices) lines.push('', `> ${n}`);
  return lines.join('\n');
}

const number = (name: string, min: number, integer: boolean) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new InvalidArgumentError(
      `${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}; got ${v}`,
    );
  }
  return n;
};

/** Registers `lway bench` on the CLI program. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(
      'Quality benchmark on LR/HR pairs: unadapted, the closed-form controls (tone, ibp, tone+ibp) and the LWay-adapted model (PSNR, SSIM, LPIPS, time)',
    )
    .requiredOption('--pairs <dir>', 'folder with LR/ and HR/ holding matching file names')
    .requiredOption('-m, --model <id>', 'preset model id')
    .option('--steps <n>', 'adaptation steps', number('--steps', 0, true), DEFAULT_ADAPT_OPTIONS.steps)
    .option(
      '--strength <s>',
      'weight-map strength in [0, 1]',
      number('--strength', 0, false),
      DEFAULT_ADAPT_OPTIONS.strength,
    )
    .option('--max-images <k>', 'use the first k pairs', number('--max-images', 1, true))
    .option('--lr <rate>', 'Adam learning rate (default: per model)', number('--lr', 0, false))
    .option('--crop-size <n>', 'LR crop side', number('--crop-size', 1, true))
    .option('--crops-per-step <n>', 'crops per step', number('--crops-per-step', 1, true))
    .option(
      '--residual-sigma <s>',
      'low-pass sigma of the residual (0 = off)',
      number('--residual-sigma', 0, false),
    )
    .option(
      '--max-noise-sigma <s>',
      'skip adaptation above this estimated noise sigma',
      number('--max-noise-sigma', 0, false),
    )
    .option(
      '--holdout <f>',
      'fraction of LR crops held out to pick the best step',
      number('--holdout', 0, false),
    )
    .option(
      '--max-deviation <d>',
      'trust region: max mean |adapted - unadapted| output change, [0, 1] units (default off)',
      number('--max-deviation', 0, false),
    )
    .addOption(
      new Option(
        '--operator <kind>',
        'reconstruction operator: r = trained stage-1 R(y, E(x)); known = blur + area; auto = r when weights exist',
      )
        .choices(OPERATOR_CHOICES)
        .default('auto'),
    )
    .option('--stage1 <dir>', 'stage-1 folder for --operator r (default models/lway-degradation/x<scale>)')
    .option(
      '--blur-sigma <s>',
      'blur sigma (HR px) of the known-degradation operator',
      number('--blur-sigma', 0, false),
      2,
    )
    .option('--collective', 'also adapt once on all images together')
    .option('--no-lpips-loss', 'adapt without LPIPS terms (no perceptual anchor)')
    .option(
      '--anchor <w>',
      'weight of the perceptual anchor LPIPS(T(S(x)), S_0(x)) at HR (default: the product default)',
      number('--anchor', 0, false),
    )
    .addOption(
      new Option(
        '--correction <mode>',
        'closed-form correction of the adapted output (default: tone)',
      ).choices(CORRECTION_MODES),
    )
    .option('--no-input-gate', "fixed stage-2 defaults instead of the clean-input gate's per-image settings")
    .option(
      '--no-flat-guard',
      "score the adapted output without the flat-region guard (the product's default)",
    )
    .addOption(
      new Option('-b, --backend <name>', 'TF.js backend')
        .choices(['auto', ...BACKEND_PREFERENCE])
        .default('auto'),
    )
    .option('--json <path>', 'write the result as JSON')
    .action(
      async (opts: BenchOptions & { lr?: number; holdout?: number; stage1?: string; anchor?: number }) => {
        const result = await runBench({
          ...opts,
          anchorWeight: opts.anchor,
          learningRate: opts.lr,
          holdoutFraction: opts.holdout,
          stage1Dir: opts.stage1,
        });
        console.log(benchMarkdown(result));
        if (opts.json) await writeFile(opts.json, JSON.stringify(result, null, 2));
      },
    );
}
