// The preset table (src/core/models/preset-info.ts) is the one place preset data lives: the registry, set-up and
// adaptation's defaults read it. These tests check that what it says holds on this machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LEARNING_RATES } from '../../../src/core/adapt/adapt-options.js';
import { PRESETS, describeSource } from '../../../src/core/models/preset-info.js';
import { MODEL_REGISTRY } from '../../../src/core/models/registry.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

test('the registry lists the preset table in its order, ids and weight folders unique', () => {
  assert.deepEqual(
    MODEL_REGISTRY.map((d) => d.id),
    PRESETS.map((p) => p.id),
  );
  for (const def of MODEL_REGISTRY) {
    const info = PRESETS.find((p) => p.id === def.id);
    assert.equal(def.source, info?.source);
    assert.equal(def.defaultLearningRate, info?.defaultLearningRate);
  }
  assert.equal(new Set(PRESETS.map((p) => p.id)).size, PRESETS.length);
  assert.equal(new Set(PRESETS.map((p) => p.weightsDir)).size, PRESETS.length);
});

test('packaged models are runtime dependencies at the pinned version (they load after npm install --omit=dev)', () => {
  for (const p of PRESETS) {
    const { source } = p;
    if (source.kind === 'tfjs-layers') {
      assert.equal(
        pkg.dependencies[source.package],
        source.version,
        `${p.id}: ${source.package} in dependencies`,
      );
      assert.equal(
        pkg.devDependencies[source.package],
        undefined,
        `${p.id}: ${source.package} not a dev dependency`,
      );
    } else {
      // ncnn weights are converted at set-up (npm run build), which needs the dev dependencies anyway.
      const version = pkg.dependencies[source.package] ?? pkg.devDependencies[source.package];
      assert.equal(
        version,
        source.version,
        `${p.id}: ${source.package}@${source.version} installed for set-up`,
      );
    }
  }
});

test('every preset has a model card and a positive default learning rate, which adaptation uses', () => {
  for (const p of PRESETS) {
    assert.ok(existsSync(join('models', p.card)), `${p.id}: models/${p.card} exists`);
    assert.ok(p.defaultLearningRate > 0 && p.defaultLearningRate < 1e-2, `${p.id}: learning rate`);
    assert.equal(DEFAULT_LEARNING_RATES[p.id], p.defaultLearningRate);
    assert.match(describeSource(p.source), new RegExp(`${p.source.package}@${p.source.version}`));
  }
});

test('after set-up every preset has its files under models/<weightsDir>/ (what the browser fetches)', () => {
  for (const p of PRESETS) {
    const dir = join('models', p.weightsDir);
    if (p.source.kind === 'ncnn') {
      assert.ok(existsSync(join(dir, 'weights.json')), `${p.id}: ${dir}/weights.json`);
      assert.ok(existsSync(join(dir, 'weights.bin')), `${p.id}: ${dir}/weights.bin`);
      continue;
    }
    const from = join('node_modules', p.source.package, p.source.dir);
    const json = readFileSync(join(dir, 'model.json'));
    assert.ok(json.equals(readFileSync(join(from, 'model.json'))), `${p.id}: model.json is the package's`);
    const paths = (
      JSON.parse(json.toString('utf8')) as { weightsManifest: { paths: string[] }[] }
    ).weightsManifest.flatMap((g) => g.paths);
    assert.ok(paths.length > 0);
    for (const s of paths)
      assert.equal(statSync(join(dir, s)).size, statSync(join(from, s)).size, `${p.id}: ${s}`);
  }
});
