import type { tf } from '../tf.js';
import { scatterResizeGrad } from './resize-axis-map.js';
import type { AxisMapFn } from './resize-axis-map.js';

/**
 * A wasm gradient kernel for a separable image resize (ResizeBilinearGrad, ResizeNearestNeighborGrad): reads dy,
 * scatters it to the sources `axisMap` gives for the forward kernel's alignCorners / halfPixelCenters flags, and
 * writes dx with the images' shape.
 */
export function resizeGradKernel(axisMap: AxisMapFn): tf.KernelFunc {
  const kernel = (args: {
    inputs: tf.NamedTensorInfoMap;
    backend: tf.KernelBackend;
    attrs?: tf.NamedAttrMap;
  }): tf.TensorInfo => {
    const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const { alignCorners, halfPixelCenters } = args.attrs as unknown as {
      alignCorners: boolean;
      halfPixelCenters?: boolean;
    };
    const [, h, w] = images.shape;
    const [, ho, wo] = dy.shape;
    const dyData = args.backend.readSync(dy.dataId) as Float32Array;
    const dx = scatterResizeGrad(
      dyData,
      dy.shape,
      images.shape,
      axisMap(h, ho, alignCorners, halfPixelCenters === true),
      axisMap(w, wo, alignCorners, halfPixelCenters === true),
    );
    return { dataId: args.backend.write(dx, images.shape, 'float32'), shape: images.shape, dtype: 'float32' };
  };
  return kernel as tf.KernelFunc;
}
