import type { ModelDefinition } from '../../core/index.js';

/** What the model picker shows about a preset. */
export interface ModelSummary {
  readonly id: string;
  readonly name: string;
  /** Scales the model can produce; most presets have exactly one. */
  readonly scales: readonly number[];
  /** Download size of float32 weights in bytes. */
  readonly sizeBytes: number;
  readonly speedHint: 'fast' | 'medium' | 'slow';
  readonly licence: string;
}

/** Parameter counts that separate the speed hints (SRVGGNetCompact ~1.2M is fast, RRDBNet ~16M is slow). */
const FAST_BELOW = 2_000_000;
const SLOW_FROM = 10_000_000;

/** Summarises a registry entry for the picker. Size assumes float32 weights (4 bytes per parameter). */
export function summarizeModel(def: ModelDefinition): ModelSummary {
  const speedHint = def.paramCount < FAST_BELOW ? 'fast' : def.paramCount >= SLOW_FROM ? 'slow' : 'medium';
  return {
    id: def.id,
    name: def.name,
    scales: [def.scale],
    sizeBytes: def.paramCount * 4,
    speedHint,
    licence: def.licence,
  };
}
