export { createLpips, type Lpips } from './lpips.js';
export { loadLpipsWeights, LPIPS_NETS, type LpipsNet, type LpipsWeights } from './lpips-weights.js';
export { tryLoadLpips, LPIPS_UNAVAILABLE, type LpipsLoadResult, type LpipsWarning } from './load-lpips.js';
