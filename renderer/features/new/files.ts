import type { AttachmentSourceInput } from '../../../common/requests.ts';

/**
 * What main needs to take a file: its real path when Electron can tell it (drag and drop from the
 * desktop: main reads the file itself), else its bytes (paste, a browser).
 */
export async function sourceOf(file: File): Promise<AttachmentSourceInput> {
  const path = window.platform?.getPathForFile(file) ?? '';
  if (path) return { path };
  return { name: file.name || 'incollato.png', data: new Uint8Array(await file.arrayBuffer()) };
}

/**
 * The files of a drop, paste or file-dialog event, read straight from the event. react-dropzone's
 * default asks each dropped item for a FileSystemHandle first, which is not needed here (no folder
 * drops) and never settles for some drag sources; this reads `files`, which every source fills.
 */
export async function filesOfEvent(event: unknown): Promise<File[]> {
  if (Array.isArray(event)) {
    return Promise.all((event as FileSystemFileHandle[]).map((handle) => handle.getFile()));
  }
  const e = event as { dataTransfer?: DataTransfer | null; target?: EventTarget | null };
  if (e.dataTransfer) return [...e.dataTransfer.files];
  const input = e.target as HTMLInputElement | null;
  return input?.files ? [...input.files] : [];
}
