// `lway upscale`'s adaptation flags: parsed under core's setting names, checked against core's ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import {
  addUpscaleAdaptOptions,
  adaptSettingsOf,
  type UpscaleAdaptCliOptions,
} from '../../src/cli/upscale-adapt-options.js';
import { DEFAULT_ADAPT_OPTIONS } from '../../src/core/index.js';

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
  const help = addUpscaleAdaptOptions(new Command('upscale')).helpInformation();
  assert.match(help, new RegExp(`--adapt-anchor <w>[\\s\\S]*default ${DEFAULT_ADAPT_OPTIONS.anchorWeight}`));
});

test('--adapt-anchor outside core range is refused with the flag name', () => {
  assert.throws(() => parse('--adapt-anchor', '-1'), /--adapt-anchor/);
  assert.throws(() => parse('--adapt-anchor', 'lots'), /--adapt-anchor/);
});
