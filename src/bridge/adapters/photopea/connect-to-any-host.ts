import { connectToHost, type ConnectOptions, type HostClient } from '../../plugin-client.js';
import { connectToPhotopea, type PhotopeaClientOptions } from './photopea-client.js';

/**
 * Connects to whichever host embeds the plugin: Photopea when `options.host` is 'photopea' or the page URL has
 * `host=photopea` (our Photopea plugin JSON's URL has it), else our host SDK.
 */
export function connectToAnyHost(
  options: ConnectOptions & Pick<PhotopeaClientOptions, 'photopeaOrigin'>,
): Promise<HostClient> {
  const fromUrl = new URLSearchParams(location.search).get('host');
  const host =
    options.host && options.host !== 'auto' ? options.host : fromUrl === 'photopea' ? 'photopea' : 'lway';
  if (host === 'photopea') {
    // The origin comes from code, never from the URL: whoever embeds us must not choose whom we trust.
    return connectToPhotopea(options);
  }
  return connectToHost(options);
}
