// `lway upscale`'s adaptation flags: parsed under core's setting names, checked against core's ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import {
  addUpscaleAdaptOptions,
  adaptSettingsOf,
  type UpscaleAdaptCliOptions,
} from '../../src/cli/upscale-adapt-options.js';
import { DEFAULT_ADAPT_OPTIONS, INPUT_PROFILES, describeInputProfiles } from '../../src/core/index.js';

function parse(...args: string[]): UpscaleAdaptCliOptions {
  const command = addUpscaleAdaptOptions(new Command('upscale'))
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  command.parse(['--adapt', ...args], { from: 'user' });
  return command.opts<UpscaleAdaptCliOptions>();
}

test('--adapt-anchor reaches core as anchorWeight; not given, core keeps its default', () => {
  assert.equal(adaptSettingsOf(parse('--adapt-anchor', '0.1')).anchorWeight, 0.1);
  assert.equal(adaptSettingsOf(parse('--adapt-anchor', '0')).anchorWeight, 0);
  assert.equal(adaptSettingsOf(parse()).anchorWeight, undefined);
  const help = addUpscaleAdaptOptions(new Command('upscale')).helpInformation().replace(/\s+/g, ' ');
  assert.match(
    help,
    new RegExp(`--adapt-anchor <w>[\\s\\S]*or ${DEFAULT_ADAPT_OPTIONS.anchorWeight} without the gate`),
  );
  // The help says the default is picked per image by the gate, with both profiles' values.
  assert.match(
    help,
    new RegExp(
      `--adapt-anchor <w>[\\s\\S]*per image, clean ${INPUT_PROFILES.clean.anchorWeight}, noisy ${INPUT_PROFILES.noisy.anchorWeight}`,
    ),
  );
});

test('--adapt-lr says what the gate picks for the learning rate', () => {
  const help = addUpscaleAdaptOptions(new Command('upscale')).helpInformation().replace(/\s+/g, ' ');
  assert.ok(
    help.includes(`default per image, ${describeInputProfiles('learningRate')}`),
    'the learning rate flag names both profiles',
  );
  assert.match(describeInputProfiles('learningRate'), /clean 2\.5x the model's, noisy 1x the model's/);
});

test('--no-adapt-input-gate turns the gate off; not given, core decides (the gate is on)', () => {
  assert.equal(adaptSettingsOf(parse('--no-adapt-input-gate')).inputGate, false);
  assert.equal(adaptSettingsOf(parse()).inputGate, undefined);
});

test('--no-flat-guard turns the flat-region guard off; not given, it is on', () => {
  assert.equal(parse('--no-flat-guard').flatGuard, false);
  assert.equal(parse().flatGuard, true);
});

test('--adapt-anchor outside core range is refused with the flag name', () => {
  assert.throws(() => parse('--adapt-anchor', '-1'), /--adapt-anchor/);
  assert.throws(() => parse('--adapt-anchor', 'lots'), /--adapt-anchor/);
});
