// The quick fix: closed-form corrections (tone, back-projection) of an SR output against its own LR input.
export { CORRECTION_MODES, type CorrectionMode, correctOutput } from './closed-form-correction.js';
