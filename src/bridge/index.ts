/**
 * Public API of the bridge. The panel imports the plugin side (connectToHost, HostClient); editors import the
 * host SDK (createHost, EditorAdapter); both share the protocol types.
 */
export { BridgeError, toWireError, type BridgeErrorCode } from './bridge-error.js';
export {
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL,
  MAX_IMAGE_SIDE,
  MAX_PIXEL_BYTES,
  type ActiveLayer,
  type ActiveLayerRequest,
  type CommandId,
  type HostCapability,
  type LayerInfo,
  type NewLayer,
  type Notify,
  type Permission,
  type Point,
  type Progress,
  type Rect,
  type RgbaImage,
  WireErrorSchema,
  type WireError,
} from './protocol.js';
export {
  connectToHost,
  createPluginClient,
  DEFAULT_PLUGIN_CLIENT_OPTIONS,
  type ConnectOptions,
  type GetActiveLayerOptions,
  type HostClient,
  type PluginClientOptions,
  type RequestOptions,
} from './plugin-client.js';
export { rgbaImage } from './rgba-image.js';
export { cropActiveLayer, cropRgba, intersectRects } from './crop-layer.js';
export { parseManifest, ManifestSchema, type Manifest } from './manifest-schema.js';
export { portTransport, windowTransport, type Transport } from './transport.js';
export type { WarnFn } from './warn.js';
export { rateLimitWarn, type RateLimitedWarn, type RateLimitWarnOptions } from './rate-limit-warn.js';
// The host SDK's API, exactly as the lway-host-sdk.js bundle exposes it (its BridgeError and protocol types are
// the ones exported above).
export * from './host-sdk/index.js';
export {
  connectToAnyHost,
  connectToPhotopea,
  PHOTOPEA_ORIGIN,
  type PhotopeaClientOptions,
} from './adapters/photopea/index.js';
export { startPluginWorker, pluginWorkerUrl } from './start-plugin-worker.js';
export { PhotopeaChannel, type ScriptReply } from './adapters/photopea/index.js';
