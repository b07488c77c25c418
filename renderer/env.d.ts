import type { BridgeApi } from '../common/api.ts';
import type { EarlyAnswers } from './lib/early.ts';

declare global {
  interface Window {
    /** The contract's channels, from the preload (Electron) or the harness shim (browser). */
    api: BridgeApi;
    platform?: { getPathForFile(file: File): string };
    /** What early.js asked main for before the app's module ran (lib/early.ts). */
    sportelloEarly?: EarlyAnswers;
  }
}
