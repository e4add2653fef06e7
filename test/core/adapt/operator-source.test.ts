// core's one R loader (the panel's worker and the CLI both adapt through it): trained stage-1 R when weights.json for
// the scale loads, otherwise the known-degradation operator with a notice (auto) or an error (r); loaded once per
// scale and backend by the adaptation session, aborts retried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AbortError } from '../../../src/core/errors.js';
import {
  createAdaptSession,
  createKnownDegradationOperator,
  createLrReconstruction,
  loadOperatorSource,
} from '../../../src/core/adapt/index.js';
import { pixelsToTensor } from '../../../src/core/image/pixels-to-tensor.js';
import { serializeStage1 } from '../../../src/core/stage1/index.js';
import type { FetchBytes } from '../../../src/core/models/model-definition.js';
import { tf } from '../../../src/core/tf.js';
import { syntheticPhoto, tinyStage1 } from '../stage1/stage1-fixtures.js';

type Files = Map<string, Uint8Array>;

/** weights.{json,bin} of a tiny x2 stage-1 model, kept in memory. */
async function tinyStage1Files(seed = 5): Promise<Files> {
  const nets = tinyStage1(seed);
  try {
    const art = await serializeStage1(nets);
    return new Map([
      ['weights.json', new TextEncoder().encode(JSON.stringify(art.manifest))],
      ['weights.bin', new Uint8Array(art.weightData)],
    ]);
  } finally {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
  }
}

/** A FetchBytes over `files` that fails like urlFetchBytes (HTTP 404) for anything else, and logs each read. */
function memoryFetch(files: Files, log: string[] = []): FetchBytes {
  return async (rel, signal) => {
    log.push(rel);
    if (signal?.aborted) throw new Error('The operation was aborted');
    const f = files.get(rel);
    if (!f) throw new Error(`HTTP 404 for http://localhost/models/lway-degradation/${rel}`);
    return f.slice().buffer;
  };
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = d.dataSync()[0];
  d.dispose();
  return v;
};

const lr = syntheticPhoto(12, 10, 1);
const srOf = () => tf.tidy(() => tf.image.resizeBilinear(pixelsToTensor(lr), [20, 24]) as tf.Tensor4D);

test('weights for the scale: R(y, E(x)) with the loaded networks, no notice; tensors freed on dispose', async () => {
  await tf.setBackend('cpu');
  const files = await tinyStage1Files(5);
  const before = tf.memory().numTensors;
  const source = await loadOperatorSource({ fetchBytesFor: () => memoryFetch(files) }, 2);
  assert.equal(source.kind, 'r');
  assert.equal(source.notice, undefined);
  const withNets = tf.memory().numTensors;
  assert.ok(withNets > before, 'E and R stay loaded');

  // The same networks built from the seed give the same reconstruction: the loaded weights are in use.
  const ref = tinyStage1(5);
  const sr = srOf();
  const x = pixelsToTensor(lr);
  const refOp = createLrReconstruction(ref, x);
  const known = createKnownDegradationOperator({ scale: 2 });
  try {
    for (let job = 0; job < 2; job++) {
      const op = (await source.prepare(lr, false)).operator;
      assert.equal(op.scale, 2);
      const got = op.reconstruct(sr);
      const want = refOp.reconstruct(sr);
      const k = known.reconstruct(sr);
      assert.deepEqual(got.shape, [1, 10, 12, 3]);
      assert.ok(maxDiff(got, want) < 1e-6, `R output matches the reference nets (${maxDiff(got, want)})`);
      assert.ok(maxDiff(got, k) > 1e-3, 'and is not the known operator');
      tf.dispose([got, want, k]);
      op.dispose();
    }
  } finally {
    refOp.dispose();
    tf.dispose([sr, x]);
    ref.encoder.dispose();
    ref.reconstructor.dispose();
  }
  assert.equal(tf.memory().numTensors, withNets, 'each job frees its operator (the embedding)');
  source.dispose();
  source.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('no usable weights (404, not JSON, wrong scale, foreign format): auto gives the known operator plus a notice saying why, r an error', async () => {
  await tf.setBackend('cpu');
  const x2 = await tinyStage1Files(5);
  const cases: Array<[string, Files, number, RegExp]> = [
    ['404', new Map(), 2, /x2 could not be used: stage-1 model: cannot read weights\.json \(HTTP 404/],
    [
      'not JSON',
      new Map([['weights.json', new TextEncoder().encode('<html>')]]),
      2,
      /weights\.json is not JSON/,
    ],
    ['x2 weights for an x4 model', x2, 4, /for x4 could not be used: its weights are for x2/],
    [
      'foreign format',
      new Map([['weights.json', new TextEncoder().encode('{"format":"tfjs-layers","version":1}')]]),
      2,
      /format tfjs-layers\/1; expected lway-stage1\/1/,
    ],
    ['bin missing', new Map([['weights.json', x2.get('weights.json')!]]), 2, /cannot read weights\.bin/],
  ];
  for (const [name, files, scale, reason] of cases) {
    const before = tf.memory().numTensors;
    const options = { fetchBytesFor: () => memoryFetch(files) };
    const source = await loadOperatorSource(options, scale);
    assert.equal(source.kind, 'known', name);
    assert.equal(source.notice?.code, 'KNOWN_OPERATOR', name);
    assert.match(source.notice?.message ?? '', reason, name);
    assert.match(
      source.notice?.message ?? '',
      /known-degradation operator \(Gaussian blur \+ area downscale\)/,
      name,
    );
    // The same reason, as an error, when R was asked for explicitly.
    const why = (source.notice?.message ?? '').replace(
      /^.*could not be used: (.*)\. This adaptation.*$/s,
      '$1',
    );
    await assert.rejects(
      loadOperatorSource({ ...options, choice: 'r' }, scale),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'BAD_INPUT', name);
        assert.equal(err.message, `operator r needs the trained stage-1 R for x${scale}: ${why}`, name);
        return true;
      },
    );
    const op = (await source.prepare(lr, false)).operator;
    const ref = createKnownDegradationOperator({ scale });
    const sr = tf.fill([1, 4 * scale, 2 * scale, 3], 0.25) as tf.Tensor4D;
    const [a, b] = [op.reconstruct(sr), ref.reconstruct(sr)];
    assert.deepEqual(a.shape, [1, 4, 2, 3], name);
    assert.equal(maxDiff(a, b), 0, `${name}: the known operator for x${scale}`);
    tf.dispose([a, b, sr]);
    op.dispose();
    source.dispose();
    assert.equal(tf.memory().numTensors, before, `${name}: nothing leaks`);
  }
});

test('the session loads R once per scale and backend, keeps fallbacks, retries an aborted load, disposes all', async () => {
  await tf.setBackend('cpu');
  const files = await tinyStage1Files(9);
  const reads: string[] = [];
  let backend = 'cpu';
  let gate: Promise<void> | undefined;
  const base = memoryFetch(files, reads);
  const session = createAdaptSession({
    backend: () => backend,
    operators: {
      fetchBytesFor: (scale) => async (rel, s) => {
        await gate;
        // Only x2 is shipped.
        return base(scale === 2 ? rel : `x${scale}/${rel}`, s);
      },
    },
  });
  const before = tf.memory().numTensors;

  // Aborted mid-load: AbortError, nothing kept, the next job loads again.
  let open!: () => void;
  gate = new Promise((r) => (open = r));
  const ctl = new AbortController();
  const first = session.operatorFor(2, ctl.signal);
  ctl.abort();
  open();
  await assert.rejects(first, AbortError);
  assert.equal(tf.memory().numTensors, before, 'an aborted load leaves nothing behind');
  gate = undefined;
  reads.length = 0;

  const a = await session.operatorFor(2);
  const b = await session.operatorFor(2);
  assert.equal(a.kind, 'r');
  assert.equal(a, b, 'the second job reuses the networks');
  assert.deepEqual(reads, ['weights.json', 'weights.bin', 'clean-gate.json']);

  const x4 = await session.operatorFor(4);
  const x4again = await session.operatorFor(4);
  assert.equal(x4.kind, 'known');
  assert.match(x4.notice?.message ?? '', /x4 could not be used/);
  assert.equal(x4again, x4, 'the fallback is kept; its notice repeats without asking the server again');
  assert.deepEqual(reads, ['weights.json', 'weights.bin', 'clean-gate.json', 'x4/weights.json']);

  backend = 'wasm-like'; // weights live on the backend they were loaded on
  const other = await session.operatorFor(2);
  assert.notEqual(other, a);
  assert.equal(other.kind, 'r');
  assert.equal(reads.length, 7);

  await session.dispose();
  assert.equal(tf.memory().numTensors, before, 'dispose frees every loaded E and R');
});
