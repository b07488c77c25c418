import { shell } from 'electron';
import type { Opener } from '../ports.ts';
import { isExternalLinkAllowed } from '../security/policy.ts';

/** Files with the system viewer; web links in the system browser, allowlisted hosts only. */
export const shellOpener: Opener & { openExternal(url: string): Promise<void> } = {
  openPath: (path) => shell.openPath(path),
  showItemInFolder: (path) => shell.showItemInFolder(path),
  async openExternal(url) {
    // Checked here as well as by the window: this is the last door before the OS opens a URL.
    if (!isExternalLinkAllowed(url)) throw new Error(`link esterno non consentito: ${url}`);
    await shell.openExternal(url);
  },
};
