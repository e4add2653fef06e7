// Tile plans and the feather window the upscaler blends tiles with.
export { featherWeights } from './feather-weights.js';
export { type PlanTilesInput, type Tile, type TilePlan, planTiles } from './plan-tiles.js';
