/** The host SDK's public API, bundled as lway-host-sdk.js for editors that embed LWay. */
export {
  createHost,
  LwayHost,
  DEFAULT_HOST_OPTIONS,
  type LwayHostOptions,
  type LwayHostState,
} from './host.js';
export { HostSession, type HostSessionOptions } from './host-session.js';
export type { EditorAdapter } from './editor-adapter.js';
export { BridgeError, type BridgeErrorCode } from '../bridge-error.js';
export type { ActiveLayer, CommandId, NewLayer, Notify, Progress, Rect, RgbaImage } from '../protocol.js';
