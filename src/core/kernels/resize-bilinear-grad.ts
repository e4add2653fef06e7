import { tf } from '../tf.js';
import { bilinearAxisMap, scatterResizeGrad } from './resize-axis-map.js';

/**
 * ResizeBilinearGrad for wasm. TF.js 4.22's wasm kernel ignores halfPixelCenters (PyTorch's
 * align_corners=False convention), giving gradients 20-140% off; this one follows the forward kernel's
 * coordinates for every flag combination.
 */
function resizeBilinearGradWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as tf.ResizeBilinearGradAttrs & {
    halfPixelCenters?: boolean;
  };
  const [, h, w] = images.shape;
  const [, ho, wo] = dy.shape;
  const dyData = args.backend.readSync(dy.dataId) as Float32Array;
  const dx = scatterResizeGrad(
    dyData,
    dy.shape,
    images.shape,
    bilinearAxisMap(h, ho, alignCorners, halfPixelCenters === true),
    bilinearAxisMap(w, wo, alignCorners, halfPixelCenters === true),
  );
  return { dataId: args.backend.write(dx, images.shape, 'float32'), shape: images.shape, dtype: 'float32' };
}

/** Replaces wasm's ResizeBilinearGrad (see above). */
export const resizeBilinearGradWasmConfig: tf.KernelConfig = {
  kernelName: 'ResizeBilinearGrad',
  backendName: 'wasm',
  kernelFunc: resizeBilinearGradWasm as tf.KernelFunc,
};
