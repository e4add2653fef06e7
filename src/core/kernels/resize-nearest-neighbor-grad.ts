import { tf } from '../tf.js';
import { nearestAxisMap, scatterResizeGrad } from './resize-axis-map.js';

/**
 * ResizeNearestNeighborGrad for wasm. TF.js 4.22's wasm kernel ignores halfPixelCenters, so it sends
 * gradients to the wrong pixels whenever the scale is not an integer; this one follows the forward kernel.
 */
function resizeNearestNeighborGradWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as tf.ResizeNearestNeighborGradAttrs & {
    halfPixelCenters?: boolean;
  };
  const [, h, w] = images.shape;
  const [, ho, wo] = dy.shape;
  const dyData = args.backend.readSync(dy.dataId) as Float32Array;
  const dx = scatterResizeGrad(
    dyData,
    dy.shape,
    images.shape,
    nearestAxisMap(h, ho, alignCorners, halfPixelCenters === true),
    nearestAxisMap(w, wo, alignCorners, halfPixelCenters === true),
  );
  return { dataId: args.backend.write(dx, images.shape, 'float32'), shape: images.shape, dtype: 'float32' };
}

/** Replaces wasm's ResizeNearestNeighborGrad (see above). */
export const resizeNearestNeighborGradWasmConfig: tf.KernelConfig = {
  kernelName: 'ResizeNearestNeighborGrad',
  backendName: 'wasm',
  kernelFunc: resizeNearestNeighborGradWasm as tf.KernelFunc,
};
