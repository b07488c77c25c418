import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeApi } from '../../../common/api.ts';
import { CONGEDO } from '../../support/drafts.ts';
import { bootMain, bootPreload, until, type Shell } from '../../support/electron/shell.ts';
import { textPdf } from '../../support/files.ts';

/*
 * The path grant, through the real shell: main/index.ts, its IPC wrapper and dispatcher, the real
 * services and the real preload, under the Electron double. The page may name a file on disk only
 * if the clerk dropped or chose it; whichever channel it uses and however deep the path sits in
 * the arguments, an ungranted path gets one answer, whether the file exists or not, and nothing
 * is read.
 */

let shell: Shell;
let api: BridgeApi;
let platform: { getPathForFile(file: File): string };

beforeAll(async () => {
  shell = await bootMain();
  shell.electron.emitReady();
  await until(() => shell.world.windows.length === 1, 'the first window');
  shell.world.windows[0]!.emit('ready-to-show');
  const booted = await bootPreload(shell);
  api = booted.api;
  platform = booted.platform as typeof platform;
}, 60_000);

afterAll(async () => {
  const { world, electron } = shell;
  electron.app.quit();
  await until(() => world.quitting === 'quit', 'the app to quit').catch(() => {});
  shell.dispose();
});

const unwrap = <T>(outcome: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
  if (!outcome.ok) throw new Error(outcome.error.code);
  return outcome.value;
};

/** A real PDF on disk, in a folder the clerk never dropped from. */
async function fileOnDisk(name: string): Promise<string> {
  const path = join(shell.userData, '..', name);
  writeFileSync(path, await textPdf(1));
  return path;
}

describe('a path the page names without a grant', () => {
  it('is refused on every channel that takes one, with the same answer whether the file exists or not', async () => {
    const draft = unwrap(await api.drafts.create(CONGEDO));
    const existing = await fileOnDisk('busta-paga.pdf');
    const missing = join(shell.userData, '..', 'non-esiste.pdf');

    const answers = [
      await api.attachments.add(draft.id, '$6', { path: existing }),
      await api.attachments.add(draft.id, '$6', { path: missing }),
      await api.attachments.place(draft.id, [{ path: existing }]),
      await api.attachments.place(draft.id, [{ path: missing }]),
      // The side door of before: one path among bytes, deep in a drop of several files.
      await api.attachments.place(draft.id, [
        { name: 'foto.pdf', data: await textPdf(1) },
        { path: existing },
      ]),
    ];
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ ok: false, error: { code: 'path_not_granted' } });

    // Nothing was read into the draft, so there is nothing to preview either.
    expect(unwrap(await api.drafts.get(draft.id)).attachments).toEqual([]);
  });

  it('is read once the clerk drops that very file (the preload grants it), and previewed', async () => {
    const draft = unwrap(await api.drafts.create(CONGEDO));
    const existing = await fileOnDisk('tessera-sanitaria.pdf');
    const file = new File([], 'tessera-sanitaria.pdf');
    shell.world.filePaths.set(file, existing);
    const path = platform.getPathForFile(file);

    const placement = unwrap(await api.attachments.place(draft.id, [{ path }]));
    expect(placement.failed).toEqual([]);
    expect(placement.placed).toHaveLength(1);
    const preview = unwrap(await api.attachments.preview(draft.id, placement.placed[0]!.attachmentId));
    expect(preview.mime).toBe('application/pdf');
    expect(new TextDecoder().decode(preview.data.subarray(0, 5))).toBe('%PDF-');
  });
});
