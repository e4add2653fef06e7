// The quick fix: closed-form corrections (tone, back-projection) of an SR output against its own LR input, and the
// flat-region guard that keeps an adapted output's fine texture off the LR's flat regions.
export { CORRECTION_MODES, type CorrectionMode, correctOutput } from './closed-form-correction.js';
export {
  DEFAULT_FLAT_REGION_GUARD,
  flatRegionGuardSteps,
  guardFlatRegions,
  structureMap,
  type FlatRegionGuardOptions,
  type StructureMap,
} from './flat-region-guard.js';
