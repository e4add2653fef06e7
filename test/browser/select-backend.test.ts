import { expect } from '@esm-bundle/chai';
import { selectBackend } from '../../src/core/backend/select-backend.js';
import { tf } from '../../src/core/tf.js';

describe('selectBackend in Chromium', () => {
  it('auto picks WebGPU when the adapter exists', async () => {
    const name = await selectBackend('auto');
    expect(name).to.equal('webgpu');
    const y = tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)));
    expect((await y.data())[0]).to.equal(5);
    y.dispose();
  });
});
