import type { BridgeApi } from '../common/api.ts';

declare global {
  interface Window {
    /** The contract's channels, from the preload (Electron) or the harness shim (browser). */
    api: BridgeApi;
    platform?: { getPathForFile(file: File): string };
  }
}
