// A worker that dies silently (closes itself mid-job: no error event, no reply) must not hang the panel: the job
// fails with a clear message, a fresh worker is started, and the next run works (issue 13).
import { expect } from '@esm-bundle/chai';
import { WorkerJobRunner } from '../../src/panel/worker-job-runner.js';
import {
  cleanupPanels,
  deep,
  FakeHost,
  mount,
  must,
  runners,
  settle,
  source,
  until,
} from './panel-test-helpers.js';

afterEach(cleanupPanels);

const testWorker = (query: string): Worker =>
  new Worker(new URL(`./panel-test.worker.js?${query}`, import.meta.url), { type: 'module' });

describe('a worker that dies silently', () => {
  it('fails the job with a clear message, forgets the adaptation it held, starts a fresh worker; the next run works', async () => {
    const started: string[] = [];
    // The first worker closes itself during its second run; the one started after it is healthy.
    const runner = new WorkerJobRunner(testWorker('engine=core&adapt=fake&stepMs=1&dieOnRun=2'), {
      restart: () => {
        started.push('fresh');
        return testWorker('engine=core&adapt=fake&stepMs=1');
      },
      beatMs: 100,
      deadAfterMs: 1500,
    });
    runners.push(runner);
    const el = await mount(runner, new FakeHost(source(8, 8)));
    el.settings = { ...el.settings, steps: 3 };
    await settle(el);
    must<HTMLButtonElement>(el, '#run').click();
    await until(() => el.job.phase === 'result');
    await settle(el);
    expect(deep(el, '[data-testid="cache-status"]'), 'the first run cached its adaptation').to.not.equal(
      null,
    );

    must<HTMLButtonElement>(el, '#run').click(); // the worker dies during this one
    await until(() => el.job.phase !== 'running', 30000);
    await settle(el);
    expect(el.job.phase).to.equal('error');
    expect(el.job.error?.title).to.equal('The background worker stopped unexpectedly.');
    expect(el.job.error?.detail).to.contain('stopped without a word');
    expect(deep(el, 'lway-error-message')).to.not.equal(null);
    expect(started).to.deep.equal(['fresh']);
    expect(deep(el, '[data-testid="cache-status"]'), 'the adaptation died with the worker').to.equal(null);

    must<HTMLButtonElement>(el, '#run').click();
    await until(() => el.job.phase !== 'running', 30000);
    expect(el.job.phase, JSON.stringify(el.job.error)).to.equal('result');
    expect(el.job.result?.pixels.width).to.equal(16);
    expect(el.job.result?.reusedAdaptation).to.equal(false);
    expect(started).to.deep.equal(['fresh']);
  });

  it('a busy worker (long synchronous blocks) is not taken for dead: its sentinel thread keeps beating', async () => {
    // The worker's own thread is blocked 4 x 1500 ms, far past the 700 ms limits; only the sentinel can beat.
    const runner = new WorkerJobRunner(testWorker('engine=spin&blockMs=1500'), {
      restart: () => {
        throw new Error('must not restart a live worker');
      },
      beatMs: 50,
      deadAfterMs: 700,
      deadAfterMsOwnThread: 700,
    });
    runners.push(runner);
    const el = await mount(runner, new FakeHost(source(8, 8)));
    // The sentinel starts once the worker's thread is free after it loaded (a job at once would get the own-thread
    // limit until then).
    await until(() => runner.beatSource === 'sentinel');
    must<HTMLButtonElement>(el, '#run').click();
    await until(() => el.job.phase !== 'running', 30000);
    expect(el.job.phase, JSON.stringify(el.job.error)).to.equal('result');
  });
});
