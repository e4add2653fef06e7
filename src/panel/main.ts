/**
 * The plugin page's entry (built to plugin/panel.js): connects to the host editor, starts the TF.js worker and
 * hands both to <lway-panel>. `?theme=light|dark` lets the host pass its theme; `?models=` where weights live.
 */
import { connectToAnyHost } from '../bridge/index.js';
import { startPanelWorker } from './start-panel-worker.js';
import { HostClientPanelHost } from './host-client-panel-host.js';
import { LwayPanel } from './lway-panel.js';
import { WorkerJobRunner } from './worker-job-runner.js';
import { withProgressReporting } from './with-progress-reporting.js';

const params = new URL(location.href).searchParams;
const panel = document.querySelector('lway-panel') ?? document.body.appendChild(new LwayPanel());
const theme = params.get('theme');
if (theme === 'light' || theme === 'dark') panel.theme = theme;

const workerUrl = new URL('./worker.js', import.meta.url);
const models = params.get('models');
if (models) workerUrl.searchParams.set('models', new URL(models, location.href).href);
// startPanelWorker also works from the host's sandboxed iframe (origin "null"), where new Worker(url) cannot.
// A worker that dies (even silently) is replaced by a fresh one; the job it was running fails with a message.
const runner = new WorkerJobRunner(await startPanelWorker(workerUrl), {
  restart: () => startPanelWorker(workerUrl),
});
panel.runner = runner;

const client = await connectToAnyHost({ pluginId: 'lway.super-resolution', pluginVersion: '0.1.0' }).catch(
  (err: unknown) => {
    panel.reportError(err); // e.g. opened outside an editor: the handshake times out
    throw err;
  },
);
panel.host = new HostClientPanelHost(client);
panel.runner = withProgressReporting(runner, (p) =>
  client.progress({ stage: p.stage, done: p.step, total: p.total }),
);
await panel.refreshSource();
client.onCommand((command) => {
  if (command === 'lway.upscaleSelection') void panel.refreshSource().then(() => panel.run());
  if (command === 'lway.adaptToLayer') {
    panel.settings = { ...panel.settings, adaptEnabled: true };
    void panel.refreshSource().then(() => panel.run());
  }
  if (command === 'lway.clearAdaptationCache') void panel.clearAdaptation();
});
