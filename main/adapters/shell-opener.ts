import { shell } from 'electron';
import type { Opener } from '../ports.ts';

export const shellOpener: Opener = {
  openPath: (path) => shell.openPath(path),
  showItemInFolder: (path) => shell.showItemInFolder(path),
};
