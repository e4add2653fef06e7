/** Receives the bridge's warnings: messages dropped (wrong origin, malformed) and other recoverable trouble. */
export type WarnFn = (code: string, message: string) => void;

/** Default warning sink. The one place the bridge writes to the console. */
export const defaultWarn: WarnFn = (code, message) => console.warn(`[lway-bridge] ${code}: ${message}`);
