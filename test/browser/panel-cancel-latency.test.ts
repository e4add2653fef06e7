// Cancel latency, press to worker idle, measured in steps (issue 15): the panel's Cancel must stop the worker
// within the step in progress, for tiles and for LWay adaptation (core's real adapt()), cache nothing, and let the
// next job start at once. The test worker stamps every message with a clock the page shares (timeOrigin + now).
import { expect } from '@esm-bundle/chai';
import type { LwayPanel } from '../../src/panel/lway-panel.js';
import { WorkerJobRunner } from '../../src/panel/worker-job-runner.js';
import {
  cleanupPanels,
  deep,
  FakeHost,
  mount,
  must,
  settle,
  source,
  runners,
  until,
} from './panel-test-helpers.js';

afterEach(cleanupPanels);

interface Stamped {
  type: string;
  id: number;
  at: number;
  progress?: { stage: string; step: number; total: number };
}

const now = (): number => performance.timeOrigin + performance.now();

/**
 * The test worker with real core adapt() and stamped messages, its runner, and a log of every message it posts as
 * it arrives (the panel's runner ignores those of a cancelled job).
 */
function startWorker(): { worker: Worker; runner: WorkerJobRunner; log: Stamped[] } {
  const worker = new Worker(
    new URL('./panel-test.worker.js?engine=core&adapt=core&stamp=1', import.meta.url),
    {
      type: 'module',
    },
  );
  const log: Stamped[] = [];
  worker.addEventListener('message', (e: MessageEvent) => log.push(e.data as Stamped));
  const runner = new WorkerJobRunner(worker);
  runners.push(runner);
  return { worker, runner, log };
}

interface Latency {
  stage: string;
  /** Steps (tiles or LWay steps) of the cancelled job that ended after the press. */
  stepsAfterPress: number;
  /** Step at which Cancel was pressed, and the job's total. */
  pressedAt: number;
  total: number;
  /** Press to the worker settling the cancelled job, and to the next job starting (its backend message). */
  idleMs: number;
  nextStartMs: number;
  /** Median duration of one step before the press. */
  stepMs: number;
}

/**
 * Runs the panel's job, presses Cancel from the handler of the worker's progress message for step `at` of
 * `stage` (the worker is then between steps or early in the next one, never near its end), starts the next job at
 * once and measures. Returns the figures.
 */
async function cancelAt(
  el: LwayPanel,
  { worker, log }: { worker: Worker; log: Stamped[] },
  stage: string,
  at: number,
): Promise<Latency> {
  let pressAt = 0;
  let jobId = -1;
  const onMessage = (e: MessageEvent): void => {
    const m = e.data as Stamped;
    if (pressAt === 0 && m.type === 'progress' && m.progress?.stage === stage && m.progress.step === at) {
      jobId = m.id;
      pressAt = now();
      must<HTMLButtonElement>(el, '#cancel').click();
    }
  };
  worker.addEventListener('message', onMessage);
  const from = log.length;
  must<HTMLButtonElement>(el, '#run').click();
  await until(() => pressAt > 0, 60000);
  worker.removeEventListener('message', onMessage);
  expect(el.job.phase).to.equal('idle');
  await settle(el);
  must<HTMLButtonElement>(el, '#run').click(); // the next job, at once
  await until(() => log.some((m) => m.id > jobId && m.type === 'backend'), 60000);
  await until(() => log.some((m) => m.id === jobId && (m.type === 'error' || m.type === 'done')), 60000);
  const mine = log.slice(from).filter((m) => m.id === jobId);
  const steps = mine.filter((m) => m.type === 'progress' && m.progress?.stage === stage);
  const end = mine.find((m) => m.type === 'error' || m.type === 'done')!;
  expect(end.type, 'the cancelled job ends in an AbortError, not a result').to.equal('error');
  const next = log.find((m) => m.id > jobId && m.type === 'backend')!;
  const before = steps.filter((m) => m.at <= pressAt);
  const durations = before.slice(1).map((m, i) => m.at - before[i].at);
  durations.sort((a, b) => a - b);
  return {
    stage,
    stepsAfterPress: steps.filter((m) => m.at > pressAt).length,
    pressedAt: at,
    total: steps[0].progress!.total,
    idleMs: end.at - pressAt,
    nextStartMs: next.at - pressAt,
    stepMs: durations[Math.floor(durations.length / 2)],
  };
}

/** Prints the figures the closing note quotes (latency is measured, not asserted as a time: machines are noisy). */
function report(what: string, unit: string, l: Latency): void {
  console.log(
    `cancel latency, ${what}: pressed at ${unit} ${l.pressedAt}/${l.total}; ${unit}s ended after the press: ` +
      `${l.stepsAfterPress}; worker idle after ${l.idleMs.toFixed(1)} ms, next job started after ` +
      `${l.nextStartMs.toFixed(1)} ms; one ${unit} = ${l.stepMs.toFixed(1)} ms`,
  );
}

describe('cancel latency (press to worker idle)', () => {
  it('adaptation (core adapt() in the worker) stops within the step in progress and caches nothing', async () => {
    const w = startWorker();
    const el = await mount(w.runner, new FakeHost(source(64, 64)));
    el.settings = { ...el.settings, adaptEnabled: true, steps: 30 };
    await settle(el);
    const l = await cancelAt(el, w, 'adapt', 3);
    report('adaptation', 'step', l);
    // The step in progress finishes (a step cannot be cut in half); no further step starts.
    expect(l.stepsAfterPress).to.be.at.most(1);
    // Nothing cancelled was cached: the next job (same layer, same settings) adapts again, all 30 steps.
    await until(() => el.job.phase === 'result', 120000);
    await settle(el);
    expect(el.job.result?.reusedAdaptation).to.equal(false);
    expect(el.job.result?.adaptedSteps).to.equal(30);
    expect(deep(el, '[data-testid="reused"]')).to.equal(null);
  });

  it('tiles stop within the tile in progress', async () => {
    const w = startWorker();
    const el = await mount(w.runner, new FakeHost(source(256, 256)));
    el.settings = { ...el.settings, adaptEnabled: false, tileSize: 32 };
    await settle(el);
    const l = await cancelAt(el, w, 'upscale', 3);
    report('tiles', 'tile', l);
    expect(l.stepsAfterPress).to.be.at.most(1);
    await until(() => el.job.phase === 'result', 120000);
  });
});
