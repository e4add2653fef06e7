import { expect } from '@esm-bundle/chai';
import { DEGRADATION_FINGERPRINT, degradationFingerprint } from '../core/degrade/degradation-fingerprint.js';

describe('degradation synthesis in the browser', () => {
  it('gives the same bytes as in Node for every preset (seeded, jpeg-js included)', () => {
    expect(degradationFingerprint()).to.deep.equal(DEGRADATION_FINGERPRINT);
  });
});
