/**
 * The panel <-> worker wire format, validated with zod like the bridge's protocol. A small typed message layer
 * instead of Comlink because (1) an AbortSignal cannot cross postMessage, and cancellation must reach the worker
 * at once as its own message; (2) progress is a stream of events per job, which maps to tagged messages more
 * plainly than Comlink proxies (one round trip each); (3) pixel buffers must be transferred, which here is one
 * explicit transfer list per message. Errors cross as the bridge's WireError (one encoder, toWireError; core
 * rebuilds its own classes with lwayErrorFrom).
 */
import { z } from 'zod';
import { WireErrorSchema, type WireError } from '../../bridge/index.js';
import {
  CORRECTION_MODES,
  ADAPT_OPTION_RANGES,
  type NumericAdaptSetting,
  MAX_SIDE,
  type Pixels,
} from '../../core/index.js';
import {
  BACKEND_CHOICES,
  type BackendInfo,
  type CachedAdaptationInfo,
  type JobProgress,
  type JobRequest,
  type JobResult,
  type WeightMap,
  type WorkerMemory,
} from './job-types.js';
import type { ModelSummary } from './model-summary.js';

/** Longest id-like string (model id, layer id, cache key) accepted. */
const MAX_ID = 512;
const id = z.number().int().min(0);
const name = z.string().min(1).max(MAX_ID);
const side = z.number().int().min(1).max(MAX_SIDE);
const count = z.number().int().min(0);

const isBytes = (v: unknown): v is Uint8Array | Uint8ClampedArray =>
  v instanceof Uint8Array || v instanceof Uint8ClampedArray;

/** Core's Pixels: the buffer holds exactly width x height x channels bytes. */
export const PixelsSchema: z.ZodType<Pixels> = z
  .object({
    data: z.custom<Uint8Array | Uint8ClampedArray>(isBytes, {
      message: 'data must be a Uint8Array or Uint8ClampedArray',
    }),
    width: side,
    height: side,
    channels: z.union([z.literal(3), z.literal(4)]),
  })
  .strict()
  .refine((p) => p.data.length === p.width * p.height * p.channels, {
    message: 'data length must be width x height x channels',
  });

/** Any of core's numeric adaptation settings (core checks their ranges when it adapts). */
const AdaptRequestSchema = z
  .object(
    Object.fromEntries(
      (Object.keys(ADAPT_OPTION_RANGES) as NumericAdaptSetting[]).map((k) => [k, z.number().optional()]),
    ) as Record<NumericAdaptSetting, z.ZodOptional<z.ZodNumber>>,
  )
  .strict();

export const JobRequestSchema: z.ZodType<JobRequest> = z
  .object({
    modelId: name,
    scale: z.number().int().min(1).max(16),
    tileSize: z.number().int().min(1).max(MAX_SIDE),
    pixels: PixelsSchema,
    adapt: AdaptRequestSchema.optional(),
    layerId: name.optional(),
    correction: z.enum(CORRECTION_MODES as [string, ...string[]]).optional(),
    flatGuard: z.boolean().optional(),
    backend: z.enum(BACKEND_CHOICES).optional(),
  })
  .strict() as z.ZodType<JobRequest>;

/** Messages the panel posts to the worker. */
export const ToWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), id, request: JobRequestSchema }).strict(),
  z.object({ type: z.literal('cancel'), id }).strict(),
  z
    .object({ type: z.literal('weight-map'), id, pixels: PixelsSchema, strength: z.number().min(0).max(1) })
    .strict(),
  z.object({ type: z.literal('clear-cache'), id, cacheKey: z.string().max(8 * MAX_ID) }).strict(),
  z.object({ type: z.literal('cached'), id, layerId: name, modelId: name }).strict(),
  z.object({ type: z.literal('memory'), id }).strict(),
  z.object({ type: z.literal('models'), id }).strict(),
  /** Carries two MessagePorts (event.ports) for the liveness beats; see liveness-beats.ts. No reply. */
  z.object({ type: z.literal('watch'), id, beatMs: z.number().positive().max(60_000) }).strict(),
]);
export type ToWorkerMessage = z.infer<typeof ToWorkerMessageSchema>;

const JobProgressSchema: z.ZodType<JobProgress> = z
  .object({
    stage: z.enum(['load', 'adapt', 'upscale']),
    step: count,
    total: count,
    loss: z.number().optional(),
  })
  .strict();

const BackendInfoSchema: z.ZodType<BackendInfo> = z
  .object({ backend: z.string().max(MAX_ID), fastPath: z.boolean() })
  .strict();

/**
 * Messages the worker posts back. `done` carries the request's result, checked against its own schema. Unknown
 * keys on the envelope are dropped rather than refused (a test harness stamps each message with a time).
 */
export const FromWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), id, progress: JobProgressSchema }),
  z.object({ type: z.literal('backend'), id, info: BackendInfoSchema }),
  z.object({ type: z.literal('done'), id, result: z.unknown() }),
  z.object({ type: z.literal('error'), id, error: WireErrorSchema }),
]);
export type FromWorkerMessage =
  | { readonly type: 'progress'; readonly id: number; readonly progress: JobProgress }
  | { readonly type: 'backend'; readonly id: number; readonly info: BackendInfo }
  | { readonly type: 'done'; readonly id: number; readonly result: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: WireError };

const WorkerMemorySchema: z.ZodType<WorkerMemory> = z.object({ numTensors: count, numBytes: count }).strict();

/** What each request's `done` carries. */
export const RESULT_SCHEMAS = {
  run: z
    .object({
      pixels: PixelsSchema,
      backend: z.string().max(MAX_ID),
      reusedAdaptation: z.boolean(),
      adaptationUnavailable: z.boolean(),
      notices: z.array(z.string().max(4096)).max(64),
      adaptedSteps: count.optional(),
      cachedAs: z
        .string()
        .max(8 * MAX_ID)
        .optional(),
      memoryAfter: WorkerMemorySchema,
      elapsedMs: z.number().min(0),
    })
    .strict() as z.ZodType<JobResult>,
  'weight-map': z
    .object({
      data: z.custom<Float32Array>((v) => v instanceof Float32Array, {
        message: 'data must be a Float32Array',
      }),
      width: side,
      height: side,
    })
    .strict()
    .refine((m) => m.data.length === m.width * m.height, {
      message: 'data length must be width x height',
    }) as z.ZodType<WeightMap>,
  'clear-cache': z.null(),
  cached: z
    .object({
      key: z.string().max(8 * MAX_ID),
      backend: z.string().max(MAX_ID),
      // Core's resolved settings, as the session holds them.
      settings: z.record(z.string(), z.unknown()),
    })
    .strict()
    .nullable() as unknown as z.ZodType<CachedAdaptationInfo | null>,
  memory: WorkerMemorySchema,
  models: z
    .array(
      z
        .object({
          id: name,
          name: z.string().max(MAX_ID),
          scales: z.array(z.number().int().min(1)),
          sizeBytes: count,
          speedHint: z.enum(['fast', 'medium', 'slow']),
          licence: z.string().max(MAX_ID),
        })
        .strict(),
    )
    .max(256) as z.ZodType<readonly ModelSummary[]>,
} as const;

/** The requests that get a `done` reply, and what it carries. */
export type ResultOf = {
  [K in keyof typeof RESULT_SCHEMAS]: z.infer<(typeof RESULT_SCHEMAS)[K]>;
};

/** Parses a message arriving in the worker: the message, or the reason it is malformed. */
export function parseToWorkerMessage(
  m: unknown,
): { ok: true; message: ToWorkerMessage } | { ok: false; reason: string } {
  const r = ToWorkerMessageSchema.safeParse(m);
  return r.success ? { ok: true, message: r.data } : { ok: false, reason: z.prettifyError(r.error) };
}

/** Guard for messages arriving in the worker. */
export function isToWorkerMessage(m: unknown): m is ToWorkerMessage {
  return ToWorkerMessageSchema.safeParse(m).success;
}

/** Guard for messages arriving in the panel (a `done` result is checked by the request that waits for it). */
export function isFromWorkerMessage(m: unknown): m is FromWorkerMessage {
  return FromWorkerMessageSchema.safeParse(m).success;
}

/** The id of a message that has one (to answer or fail a malformed message rather than leave its sender waiting). */
export function idOf(m: unknown): number | undefined {
  const v = (m as { id?: unknown } | null)?.id;
  return typeof m === 'object' && m !== null && Number.isInteger(v) ? (v as number) : undefined;
}
