import type { Manifest } from '../src/bridge/index.js';

/** What each permission lets a plugin do, in the words the consent dialog uses. */
const PERMISSION_WORDS: Record<string, string> = {
  'layer:read': 'read the pixels of the active layer',
  'layer:write': 'add layers to your document',
  'selection:read': 'read the selection',
};

/**
 * Whether loading a plugin needs the user's consent: yes unless both its manifest and the page it frames come from
 * this editor's own origin (the bundled plugin does). A `?plugin=` URL is anyone's to write, so a plugin from
 * elsewhere must not get the document's pixels without a word.
 */
export function needsConsent(manifestUrl: URL, pluginUrl: URL, editorOrigin: string): boolean {
  return manifestUrl.origin !== editorOrigin || pluginUrl.origin !== editorOrigin;
}

/**
 * Shows `dialog` with the plugin's name, id, origin and permissions, and resolves with the user's answer
 * (Load: true; Don't load, or Escape: false).
 */
export function askPluginConsent(
  dialog: HTMLDialogElement,
  manifest: Manifest,
  pluginUrl: URL,
): Promise<boolean> {
  const set = (selector: string, text: string): void => {
    dialog.querySelector(selector)!.textContent = text;
  };
  set('#consent-name', `${manifest.name} (${manifest.id} ${manifest.version})`);
  set('#consent-origin', pluginUrl.origin);
  const list = dialog.querySelector('#consent-permissions')!;
  list.replaceChildren(
    ...manifest.permissions.map((p) => {
      const li = document.createElement('li');
      li.textContent = `${PERMISSION_WORDS[p] ?? p} (${p})`;
      return li;
    }),
  );
  return new Promise((resolve) => {
    const allow = dialog.querySelector<HTMLButtonElement>('#consent-allow')!;
    const deny = dialog.querySelector<HTMLButtonElement>('#consent-deny')!;
    const answer = (yes: boolean) => (): void => {
      allow.removeEventListener('click', onAllow);
      deny.removeEventListener('click', onDeny);
      dialog.removeEventListener('cancel', onDeny);
      dialog.close();
      resolve(yes);
    };
    const onAllow = answer(true);
    const onDeny = answer(false);
    allow.addEventListener('click', onAllow);
    deny.addEventListener('click', onDeny);
    dialog.addEventListener('cancel', onDeny);
    dialog.showModal();
    deny.focus(); // the safe choice is the default
  });
}
