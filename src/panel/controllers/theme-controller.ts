import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { HostTheme } from '../panel-host.js';

/**
 * Resolves the panel's theme: the host editor's theme when it reports one, else prefers-color-scheme, kept live
 * through a media-query listener that is removed on disconnect.
 */
export class ThemeController implements ReactiveController {
  hostTheme?: HostTheme;
  private query?: MediaQueryList;
  private readonly onChange = (): void => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** The theme to render now. */
  get theme(): HostTheme {
    if (this.hostTheme) return this.hostTheme;
    return this.query?.matches ? 'dark' : 'light';
  }

  hostConnected(): void {
    this.query = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    this.query?.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    this.query?.removeEventListener('change', this.onChange);
    this.query = undefined;
  }
}
