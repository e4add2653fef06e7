/**
 * The single import of TensorFlow.js for all of core, so every module shares one engine instance.
 * The umbrella package brings core ops, layers (UpscalerJS presets are LayersModels), and the cpu/webgl backends.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor3D = tf.Tensor3D;
export type Tensor4D = tf.Tensor4D;
