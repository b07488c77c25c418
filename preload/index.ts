import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { eventNames, type EventName } from '../common/api.ts';
import { buildBridge, eventChannel, GRANT_PATH_CHANNEL } from '../common/bridge.ts';
import type { Outcome } from '../common/errors.ts';

/*
 * The whole bridge: `window.api`, built from the contract's channel list, and the one helper
 * drag-and-drop needs. Listeners get the payload, never the IPC event.
 */
const api = buildBridge(
  (channel, args) => ipcRenderer.invoke(channel, ...args) as Promise<Outcome<unknown>>,
  (event: EventName, listener) => {
    if (!eventNames.includes(event)) throw new Error(`evento sconosciuto: ${String(event)}`);
    const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(eventChannel(event), wrapped);
    return () => {
      ipcRenderer.removeListener(eventChannel(event), wrapped);
    };
  },
);

contextBridge.exposeInMainWorld('api', api);
contextBridge.exposeInMainWorld('platform', {
  /**
   * The real path of a dropped or chosen file (Electron hides File.path in the sandbox). Main is
   * told before the page can use it: only such paths are read (sendSync keeps the order).
   */
  getPathForFile: (file: File) => {
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.sendSync(GRANT_PATH_CHANNEL, path);
    return path;
  },
});
