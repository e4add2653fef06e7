import { css } from 'lit';

/** Styles every panel element shares: theme tokens come from CSS custom properties set on lway-panel. */
export const sharedStyles = css`
  :host {
    display: block;
    color: var(--lway-fg, #1d1d1f);
    font:
      13px/1.4 system-ui,
      sans-serif;
  }
  :focus-visible {
    outline: 2px solid var(--lway-focus, #0a66ff);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    padding: 5px 12px;
    border-radius: 6px;
    border: 1px solid var(--lway-border, #c4c4c8);
    background: var(--lway-button-bg, #fff);
    color: inherit;
    cursor: pointer;
  }
  button.primary {
    background: var(--lway-accent, #0a66ff);
    border-color: var(--lway-accent, #0a66ff);
    color: #fff;
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .muted {
    color: var(--lway-muted, #6e6e73);
  }
  .row {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  label {
    display: block;
  }
  input[type='range'] {
    width: 100%;
    accent-color: var(--lway-accent, #0a66ff);
  }
  input[type='number'],
  select {
    font: inherit;
    color: inherit;
    background: var(--lway-input-bg, #fff);
    border: 1px solid var(--lway-border, #c4c4c8);
    border-radius: 4px;
    padding: 2px 4px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** Canvases stacked over each other in a positioned box, drawn with crisp pixels (compare view, weight map). */
export const stackedCanvasStyles = css`
  canvas {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    image-rendering: pixelated;
  }
`;
