import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelLoadError } from '../../../../src/core/errors.js';
import { float16ToFloat32, float32ToFloat16 } from '../../../../src/core/models/ncnn/float16.js';
import { NcnnWeightReader } from '../../../../src/core/models/ncnn/ncnn-weight-reader.js';
import { parseNcnnParam } from '../../../../src/core/models/ncnn/parse-ncnn-param.js';
import { readNcnnWeights } from '../../../../src/core/models/ncnn/read-ncnn-weights.js';
import { BinWriter, ramp } from './synthetic-ncnn.js';

test('float16 conversions round-trip exact values and round to nearest even', () => {
  for (const v of [0, 1, -2.5, 0.1875, 65504, 2 ** -24, -(2 ** -20)]) {
    assert.equal(float16ToFloat32(float32ToFloat16(v)), v, `value ${v}`);
  }
  assert.equal(float32ToFloat16(1), 0x3c00);
  assert.equal(float32ToFloat16(-0), 0x8000);
  assert.equal(float16ToFloat32(float32ToFloat16(1 + 2 ** -11)), 1, 'tie rounds to even');
  assert.equal(float16ToFloat32(float32ToFloat16(1e6)), Infinity);
  assert.ok(Number.isNaN(float16ToFloat32(float32ToFloat16(NaN))));
});

test('NcnnWeightReader decodes every storage kind, honours 4-byte alignment, and reports truncation', () => {
  const bin = new BinWriter()
    .fp16([0.5, -1, 3]) // 6 bytes + 2 padding
    .raw([7.25])
    .int8([-3, 5, 127]) // 3 bytes + 1 padding
    .fp32Tagged([1.5, -2.5])
    .quantized([0.5, -0.25, 8], [2, 0, 1, 1, 2]) // 5 bytes + 3 padding
    .build();
  const r = new NcnnWeightReader(bin);
  const a = r.readTagged(3);
  assert.equal(a.storage, 'float16');
  assert.deepEqual([...a.values], [0.5, -1, 3]);
  assert.equal(r.offset, 12);
  assert.deepEqual([...r.readRaw(1)], [7.25]);
  const b = r.readTagged(3);
  assert.equal(b.storage, 'int8');
  assert.deepEqual([...b.values], [-3, 5, 127]);
  const c = r.readTagged(2);
  assert.equal(c.storage, 'float32');
  assert.deepEqual([...c.values], [1.5, -2.5]);
  const d = r.readTagged(5);
  assert.equal(d.storage, 'quantized-uint8');
  assert.deepEqual([...d.values], [8, 0.5, -0.25, -0.25, 8]);
  assert.equal(r.remaining, 0);
  assert.throws(
    () => r.readRaw(1),
    (e: unknown) => e instanceof ModelLoadError && /truncated/.test(e.message),
  );
});

const PARAM = `7767517
4 4
Input            in     0 1 data
Convolution      conv   1 1 data a 0=2 1=3 4=1 5=1 6=54
PReLU            act    1 1 a b 0=2
Convolution      last   1 1 b c 0=1 1=1 5=0 6=2
`;

test('readNcnnWeights reads conv kernels (OIHW -> HWIO), biases and PReLU slopes in order', () => {
  const kernel = ramp(54); // ncnn order [o=2][i=3][h=3][w=3]
  const bin = new BinWriter().fp16(kernel).raw([0.5, -0.5]).raw([0.1, 0.2]).fp32Tagged([3, 4]).build();
  const tensors = readNcnnWeights(parseNcnnParam(PARAM), bin);
  assert.deepEqual(
    tensors.map((t) => [t.name, t.shape, t.storage]),
    [
      ['conv/kernel', [3, 3, 3, 2], 'float16'],
      ['conv/bias', [2], 'float32'],
      ['act/alpha', [2], 'float32'],
      ['last/kernel', [1, 1, 2, 1], 'float32'],
    ],
  );
  const hwio = tensors[0].values;
  // HWIO index of (y=1, x=2, i=2, o=1) must hold OIHW element (o=1, i=2, y=1, x=2).
  assert.equal(hwio[((1 * 3 + 2) * 3 + 2) * 2 + 1], kernel[((1 * 3 + 2) * 3 + 1) * 3 + 2]);
  assert.equal(hwio[0], kernel[0]);
  assert.deepEqual([...tensors[1].values], [0.5, -0.5]);
  assert.ok(Math.abs(tensors[2].values[1] - 0.2) < 1e-7);
  assert.deepEqual([...tensors[3].values], [3, 4]);
});

test('readNcnnWeights rejects truncated, oversized and unsupported models', () => {
  const full = new BinWriter().fp16(ramp(54)).raw([0.5, -0.5]).raw([0.1, 0.2]).fp32Tagged([3, 4]).build();
  assert.throws(
    () => readNcnnWeights(parseNcnnParam(PARAM), full.subarray(0, full.length - 4)),
    (e: unknown) => e instanceof ModelLoadError && /truncated/.test(e.message),
  );
  const longer = Uint8Array.from([...full, 0, 0, 0, 0]);
  assert.throws(
    () => readNcnnWeights(parseNcnnParam(PARAM), longer),
    (e: unknown) => e instanceof ModelLoadError && /4 bytes left/.test(e.message),
  );
  const odd = parseNcnnParam('7767517\n1 1\nInnerProduct fc 0 1 x 0=2 2=4\n');
  assert.throws(
    () => readNcnnWeights(odd, new Uint8Array(0)),
    (e: unknown) => e instanceof ModelLoadError && /InnerProduct \(fc\) is not supported/.test(e.message),
  );
});
