// The import rules of eslint.config.js: cross-folder imports go through each folder's index.ts, the worker imports
// nothing from the page side, core imports nothing above it. Each case lints one import line as if it stood in
// the named file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const unused = x;\n`, { filePath: file });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: [string, string, RegExp | null][] = [
  // Outside core: only src/core/index.ts.
  ['src/panel/panel-settings.ts', "import { x } from '../core/index.js';", null],
  [
    'src/panel/panel-settings.ts',
    "import { x } from '../core/adapt/adapt-options.js';",
    /src\/core\/index\.ts/,
  ],
  ['src/panel/panel-settings.ts', "import { x } from '../core/adapt/index.js';", /src\/core\/index\.ts/],
  ['src/cli/upscale-command.ts', "import { x } from '../core/errors.js';", /src\/core\/index\.ts/],
  [
    'src/node/load-preset-model.ts',
    "import { x } from '../core/models/registry.js';",
    /src\/core\/index\.ts/,
  ],
  // node and bridge likewise.
  ['src/cli/bench-command.ts', "import { x } from '../node/index.js';", null],
  ['src/cli/bench-command.ts', "import { x } from '../node/lpips-weights.js';", /src\/node\/index\.ts/],
  ['src/panel/lway-panel.ts', "import { x } from '../bridge/protocol.js';", /src\/bridge\/index\.ts/],
  ['editor/main.ts', "import { x } from '../src/bridge/index.js';", null],
  // The page reaches the worker's protocol through its index; the worker never reaches the page.
  ['src/panel/worker-job-runner.ts', "import { x } from './worker/index.js';", null],
  [
    'src/panel/worker-job-runner.ts',
    "import { x } from './worker/worker-messages.js';",
    /panel\/worker\/index\.ts/,
  ],
  ['src/panel/worker/serve-jobs.ts', "import { x } from './job-types.js';", null],
  [
    'src/panel/worker/serve-jobs.ts',
    "import { x } from '../describe-error.js';",
    /nothing from the page side/,
  ],
  ['src/panel/worker/serve-jobs.ts', "import { x } from '../../core/index.js';", null],
  // Inside core: another room through its index; the room's own files and core's top-level files directly.
  ['src/core/adapt/adapt.ts', "import { x } from '../stage1/index.js';", null],
  ['src/core/adapt/adapt.ts', "import { x } from '../stage1/stage1-networks.js';", /another core room/],
  [
    'src/core/models/ncnn/read-ncnn-weights.ts',
    "import { x } from '../../degrade/resize.js';",
    /another core room/,
  ],
  ['src/core/models/ncnn/read-ncnn-weights.ts', "import { x } from '../weight-spec.js';", null],
  ['src/core/adapt/adapt.ts', "import { x } from '../errors.js';", null],
  ['src/core/index.ts', "import { x } from './adapt/adapt.js';", /core room/],
  ['src/core/index.ts', "import { x } from './adapt/index.js';", null],
  ['src/core/adapt/adapt.ts', "import { x } from 'node:fs';", /no Node built-ins/],
  ['src/core/adapt/adapt.ts', "import { x } from '../../panel/lway-panel.js';", /imports nothing above it/],
  // Tests and benchmarks may reach into a module to test it.
  ['test/core/adapt/adapt.test.ts', "import { x } from '../../../src/core/adapt/adapt.js';", null],
];

for (const [file, line, want] of cases) {
  test(`${file}: ${line} ${want ? 'is refused' : 'is allowed'}`, async () => {
    const got = await problems(file, line);
    if (want === null) assert.deepEqual(got, []);
    else assert.ok(got.length > 0 && got.some((m) => want.test(m)), JSON.stringify(got));
  });
}
