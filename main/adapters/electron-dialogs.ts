import { dialog, type BrowserWindow } from 'electron';
import type { Dialogs } from '../ports.ts';

/** The system's own dialogs, modal to the main window when there is one. */
export function electronDialogs(parent: () => BrowserWindow | null): Dialogs {
  return {
    async chooseFolder({ title, defaultPath }) {
      const options: Electron.OpenDialogOptions = {
        title,
        properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
        ...(defaultPath ? { defaultPath } : {}),
      };
      const window = parent();
      const result = await (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options));
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseFile({ title, filters }) {
      const options: Electron.OpenDialogOptions = {
        title,
        filters,
        properties: ['openFile', 'dontAddToRecent'],
      };
      const window = parent();
      const result = await (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options));
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async confirm({ title, message, detail, confirm }) {
      const options: Electron.MessageBoxOptions = {
        type: 'warning',
        title,
        message,
        detail,
        buttons: ['Annulla', confirm],
        // Enter and Esc both keep things as they are: only a deliberate click changes them.
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const window = parent();
      const { response } = await (window
        ? dialog.showMessageBox(window, options)
        : dialog.showMessageBox(options));
      return response === 1;
    },
  };
}
