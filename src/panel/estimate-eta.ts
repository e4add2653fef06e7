import type { JobProgress, JobStage } from './worker/index.js';

/** Relative cost of one unit of each stage, so a job's total can be estimated before the slow stage starts. */
const STAGE_ORDER: readonly JobStage[] = ['load', 'adapt', 'upscale'];

/**
 * Estimates the remaining time of the current stage in ms from when it started and its progress, assuming a
 * steady rate (adaptation steps and tiles each cost about the same). Undefined until one unit has finished.
 */
export function estimateEta(progress: JobProgress, stageStartedAt: number, now: number): number | undefined {
  if (progress.step <= 0 || progress.total <= 0) return undefined;
  const perUnit = (now - stageStartedAt) / progress.step;
  return Math.max(0, Math.round(perUnit * (progress.total - progress.step)));
}

/** Overall fraction done in [0, 1], counting stages as equal thirds of the job (load is quick but shown). */
export function overallFraction(progress: JobProgress, hasAdapt: boolean): number {
  const stages = STAGE_ORDER.filter((s) => hasAdapt || s !== 'adapt');
  const index = Math.max(0, stages.indexOf(progress.stage));
  const within = progress.total > 0 ? Math.min(1, progress.step / progress.total) : 0;
  return (index + within) / stages.length;
}

/** Formats a duration for people: `under 1 s`, `4 s`, `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return 'under 1 s';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
