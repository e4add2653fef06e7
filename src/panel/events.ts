import type { PanelSettings } from './panel-settings.js';

/** Fired by the controls when the user changes settings; `detail` holds only the changed fields. */
export class SettingsChangeEvent extends Event {
  static readonly eventName = 'lway-settings-change';
  constructor(readonly changes: Partial<PanelSettings>) {
    super(SettingsChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Fired by the result view: the user chose to add the result as a layer (`add`) or drop it (`discard`). */
export class ResultActionEvent extends Event {
  static readonly eventName = 'lway-result-action';
  constructor(readonly action: 'add' | 'discard') {
    super(ResultActionEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'lway-settings-change': SettingsChangeEvent;
    'lway-result-action': ResultActionEvent;
  }
}
