import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ncnnArray, ncnnScalar, parseNcnnParam } from '../../../../src/core/models/ncnn/parse-ncnn-param.js';
import { ModelLoadError } from '../../../../src/core/errors.js';

const PARAM = `7767517
4 5
Input            input.1   0 1 data
Convolution      Conv_0    1 1 data a 0=2 1=3 4=1 5=1 6=54 9=2 -23310=1,2.000000e-01
Eltwise          Add_1     2 1 a data b 0=1 -23301=2,2.000000e-01,1.000000e+00
Interp           Resize_2  1 1 b out 0=1 1=4.000000e+00 2=4.000000e+00
`;

test('parseNcnnParam reads layers, blobs, scalar and array params', () => {
  const p = parseNcnnParam(PARAM);
  assert.equal(p.blobCount, 5);
  assert.deepEqual(
    p.layers.map((l) => [l.type, l.name]),
    [
      ['Input', 'input.1'],
      ['Convolution', 'Conv_0'],
      ['Eltwise', 'Add_1'],
      ['Interp', 'Resize_2'],
    ],
  );
  const conv = p.layers[1];
  assert.deepEqual(conv.bottoms, ['data']);
  assert.deepEqual(conv.tops, ['a']);
  assert.equal(ncnnScalar(conv, 0, 0), 2);
  assert.equal(ncnnScalar(conv, 6, 0), 54);
  assert.equal(ncnnScalar(conv, 11, 7), 7, 'absent key gives the fallback');
  assert.deepEqual(ncnnArray(conv, 10), [0.2]);
  const add = p.layers[2];
  assert.deepEqual(add.bottoms, ['a', 'data']);
  assert.deepEqual(ncnnArray(add, 1), [0.2, 1]);
  assert.equal(ncnnScalar(p.layers[3], 1, 0), 4);
  assert.throws(() => ncnnScalar(add, 1, 0), ModelLoadError, 'array read as scalar');
});

test('parseNcnnParam rejects malformed files with ModelLoadError', () => {
  const bad: Array<[string, RegExp]> = [
    ['7767518\n0 0\n', /magic 7767517/],
    ['7767517\n2 1\nInput in 0 1 data\n', /declares 2 layers but has 1/],
    ['7767517\n1 1\nInput in 0 3 data\n', /not "type name nBottom nTop/],
    ['7767517\n1 1\nConvolution c 0 1 x 0=abc\n', /parameter "0=abc" is not a number/],
    ['7767517\n1 1\nConvolution c 0 1 x -23310=3,1,2\n', /array parameter/],
    ['7767517\n1 1\nConvolution c 0 1 x =4\n', /bad parameter/],
  ];
  for (const [text, message] of bad) {
    assert.throws(
      () => parseNcnnParam(text),
      (e: unknown) => e instanceof ModelLoadError && message.test(e.message),
    );
  }
});
