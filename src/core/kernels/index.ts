// Gradient kernels TF.js's wasm and webgpu backends lack, registered explicitly by ../backend.
export { makeConv2dBackpropFilterWebGpuConfig } from './conv2d-backprop-filter-webgpu.js';
export { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
export { makeConv2dBackpropInputWasmConfig } from './conv2d-backprop-input.js';
export { depthToSpaceGradConfig } from './depth-to-space-grad.js';
export { resizeBilinearGradWasmConfig } from './resize-bilinear-grad.js';
export { resizeNearestNeighborGradWasmConfig } from './resize-nearest-neighbor-grad.js';
