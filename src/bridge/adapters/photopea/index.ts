/** Photopea support: the plugin-side client that speaks Photopea's scripting API, and host auto-detection. */
export { connectToPhotopea, PHOTOPEA_ORIGIN, type PhotopeaClientOptions } from './photopea-client.js';
export { connectToAnyHost } from './connect-to-any-host.js';
export { PhotopeaChannel, type ScriptReply } from './photopea-channel.js';
