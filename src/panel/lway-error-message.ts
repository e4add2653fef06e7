import { LitElement, html, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ErrorDescription } from './describe-error.js';
import { sharedStyles } from './shared-styles.js';

/** An error in plain words with the next step; technical details stay folded away. */
@customElement('lway-error-message')
export class LwayErrorMessage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .box {
        padding: 8px 10px;
        border-radius: 6px;
        background: var(--lway-error-bg, #fde8e8);
        color: var(--lway-error-fg, #8a1c1c);
      }
      code {
        font-size: 11px;
        word-break: break-word;
      }
    `,
  ];

  @property({ attribute: false }) error?: ErrorDescription;

  protected override render(): unknown {
    const e = this.error;
    if (!e) return html``;
    return html`<div class="box" role="alert">
      <strong data-testid="title">${e.title}</strong>
      <div data-testid="next-step">${e.nextStep}</div>
      <details>
        <summary>Details</summary>
        <code>${e.detail}</code>
      </details>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lway-error-message': LwayErrorMessage;
  }
}
