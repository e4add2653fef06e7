// Pixels <-> tensors and the small image helpers the upscaler and adaptation share.
export { bleedTransparentRgb } from './bleed-transparent-rgb.js';
export { keysCubic } from './keys-cubic.js';
export { lumaPlane } from './luma-plane.js';
export { pixelsToTensor } from './pixels-to-tensor.js';
export { readRgbTile } from './read-rgb-tile.js';
export { resizeAlphaBicubic } from './resize-alpha-bicubic.js';
export { tensorToPixels, toByte } from './tensor-to-pixels.js';
