import { css } from 'lit';

/** lway-panel's own styles: the theme tokens (light and dark) every child element reads, and section layout. */
export const panelStyles = css`
  :host {
    --lway-bg: #fbfbfd;
    --lway-fg: #1d1d1f;
    --lway-muted: #6e6e73;
    --lway-border: #c4c4c8;
    --lway-accent: #0a66ff;
    --lway-focus: #0a66ff;
    --lway-inset-bg: #ececf0;
    --lway-input-bg: #fff;
    --lway-button-bg: #fff;
    --lway-warn-bg: #fff4d6;
    --lway-warn-fg: #6b4e00;
    --lway-error-bg: #fde8e8;
    --lway-error-fg: #8a1c1c;
    background: var(--lway-bg);
    padding: 12px;
    max-width: 360px;
    box-sizing: border-box;
  }
  :host([data-theme='dark']) {
    --lway-bg: #1e1e20;
    --lway-fg: #ececf0;
    --lway-muted: #a0a0a8;
    --lway-border: #4a4a50;
    --lway-accent: #3d8bff;
    --lway-focus: #7fb2ff;
    --lway-inset-bg: #2c2c30;
    --lway-input-bg: #2a2a2e;
    --lway-button-bg: #2a2a2e;
    --lway-warn-bg: #3d3216;
    --lway-warn-fg: #f3d27a;
    --lway-error-bg: #4a1f1f;
    --lway-error-fg: #ffb4b4;
  }
  section {
    padding: 8px 0;
    border-bottom: 1px solid var(--lway-border);
  }
  h2 {
    font-size: 12px;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    margin: 0 0 6px;
    color: var(--lway-muted);
  }
  .head {
    justify-content: space-between;
  }
  .cache {
    margin-top: 6px;
    justify-content: space-between;
  }
  .run {
    margin-top: 10px;
    justify-content: flex-end;
  }
  .note {
    margin: 6px 0;
  }
`;
