// manifest.json is validated against the zod manifest schema, and the schema rejects the mistakes it exists for.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseManifest, BridgeError, SUPPORTED_PROTOCOL } from '../../src/bridge/index.js';
import { manifestSupportsHost, parseEngineRange } from '../../src/bridge/manifest-schema.js';
import { manifestJsonSchema } from '../../src/bridge/manifest-json-schema.js';
import { Ajv2020 } from 'ajv/dist/2020.js';

const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>;

describe('manifest.json', () => {
  it('is valid, targets protocol 1 and contributes the three commands', () => {
    const m = parseManifest(manifest);
    assert.equal(m.id, 'lway.super-resolution');
    assert.ok(manifestSupportsHost(m));
    assert.deepEqual(m.contributes.commands.map((c) => c.command).sort(), [
      'lway.adaptToLayer',
      'lway.clearAdaptationCache',
      'lway.upscaleSelection',
    ]);
    assert.deepEqual([...m.permissions].sort(), ['layer:read', 'layer:write', 'selection:read']);
  });

  it('has the same id and version as package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal(manifest.version, pkg.version);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['missing main', { ...manifest, main: undefined }, /main/],
    ['unknown permission', { ...manifest, permissions: ['layer:read', 'network'] }, /permissions/],
    ['repeated permission', { ...manifest, permissions: ['layer:read', 'layer:read'] }, /repeat/],
    ['bad version', { ...manifest, version: '1.0' }, /semver/],
    ['bad engine range', { ...manifest, engines: { lway: '>=1' } }, /engines/],
    [
      'unknown command',
      { ...manifest, contributes: { commands: [{ command: 'rm.rf', title: 'x' }] } },
      /commands/,
    ],
    ['extra key', { ...manifest, scripts: {} }, /scripts|Unrecognized/],
    ['id with spaces', { ...manifest, id: 'My Plugin' }, /id/],
  ];
  for (const [name, m, re] of bad) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => parseManifest(m),
        (e: BridgeError) => e.code === 'BAD_MANIFEST' && re.test(e.message),
      );
    });
  }

  describe('JSON Schema (schemas/manifest.schema.json)', () => {
    const committed = JSON.parse(readFileSync('schemas/manifest.schema.json', 'utf8')) as Record<
      string,
      unknown
    >;
    const validate = new Ajv2020({ allErrors: true }).compile(committed);

    it('is up to date with the zod schema (regenerate: npx tsx scripts/write-manifest-schema.ts)', () => {
      assert.deepEqual(committed, manifestJsonSchema());
    });

    it('accepts manifest.json', () => {
      assert.ok(validate(manifest), JSON.stringify(validate.errors));
    });

    for (const [name, m] of bad) {
      it(`rejects ${name}, as zod does`, () => {
        // JSON has no undefined: drop such keys the way JSON.stringify would.
        assert.equal(validate(JSON.parse(JSON.stringify(m))), false);
      });
    }
  });

  it('parses engine ranges', () => {
    assert.deepEqual(parseEngineRange('^1'), { min: 1, max: 1 });
    assert.deepEqual(parseEngineRange('2 - 4'), { min: 2, max: 4 });
    assert.equal(parseEngineRange('4 - 2'), null);
    assert.equal(parseEngineRange('~1.2'), null);
    // A protocol beyond this build's: not supported.
    const future = `^${SUPPORTED_PROTOCOL.max + 1}`;
    assert.equal(manifestSupportsHost(parseManifest({ ...manifest, engines: { lway: future } })), false);
    assert.equal(manifestSupportsHost(parseManifest({ ...manifest, engines: { lway: '1 - 2' } })), true);
  });
});
