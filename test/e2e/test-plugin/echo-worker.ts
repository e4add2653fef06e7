// Worker of the e2e test plugin: answers a ping with its real URL, proving startPluginWorker works in a sandbox.
import { pluginWorkerUrl } from '../../../src/bridge/start-plugin-worker.js';

self.addEventListener('message', () => {
  (self as unknown as Worker).postMessage({ url: pluginWorkerUrl().href, origin: self.location.origin });
});
