import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../common/api.ts';
import type { AppConfig } from '../../../main/app.ts';
import type { AppError } from '../../../main/errors.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { cardBack } from '../../support/cards.ts';
import { pngImage } from '../../support/files.ts';
import { CONGEDO } from '../../support/simulator.ts';
import { tempDir } from '../../support/tmp.ts';

/*
 * The scanning channels through the real app: SANE's test backend (scanimage, from sane-utils),
 * a real watched folder, real Code 39 barcodes, the mandato PDF read back with pdfjs-dist.
 */

const CF = 'RSSMRA85T10A562S';

const scanningConfig = (extra: NonNullable<AppConfig['scanning']> = {}): Partial<AppConfig> => ({
  scanning: { backends: ['sane'], saneDevices: ['test'], watch: { stableMs: 200, pollMs: 50 }, ...extra },
});

async function filledDraft(t: TestApp, fields: Record<string, string> = {}) {
  const draft = await t.app.handlers['drafts.create'](CONGEDO);
  await t.app.handlers['drafts.update'](draft.id, {
    fields: { $0: 'Mario', $1: 'Rossi', $2: 'mario@example.it', $3: '3331234567', $4: CF, ...fields },
  });
  return draft.id;
}

function record(t: TestApp) {
  const seen: { event: EventName; payload: unknown }[] = [];
  t.app.events.subscribe((event, payload) => seen.push({ event, payload }));
  return seen;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as AppError,
  );

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const task = getDocument({ data: bytes.slice(), verbosity: 0 });
  const doc = await task.promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await task.destroy();
  return pages.join(' ').replace(/\s+/g, ' ');
}

describe('scanners through the app', () => {
  it('lists the configured SANE test device, and says why a backend found nothing', async () => {
    const t = await startApp({ config: scanningConfig() });
    const survey = await t.app.handlers['scanning.devices']();
    const test = survey.devices.find((d) => d.id === 'sane:test');
    expect(test).toMatchObject({ backend: 'sane', capabilities: { modes: ['color', 'gray'] } });
    expect(survey.problems).toEqual([]);

    const missing = await startApp({
      config: scanningConfig({ saneCommand: 'scanimage-that-is-not-installed' }),
    });
    const none = await missing.app.handlers['scanning.devices']();
    expect(none.devices).toEqual([]);
    expect(none.problems).toHaveLength(1);
    expect(none.problems[0]).toMatchObject({ backend: 'sane', reason: 'missing_tool' });
    expect(none.problems[0]!.message).toMatch(/scanimage/);
  });

  it('scans into a draft field, page by page, pushing progress', async () => {
    const t = await startApp({ config: scanningConfig() });
    const seen = record(t);
    const id = await filledDraft(t);
    await t.app.handlers['scanning.devices']();
    const infos = await t.app.handlers['scanning.scan'](id, '$5', 'sane:test', {
      resolution: 75,
      mode: 'gray',
      source: 'flatbed',
    });
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({
      fieldKey: '$5',
      position: 0,
      fileName: 'scansione-1.png',
      sourceKind: 'png',
    });
    const draft = await t.app.handlers['drafts.get'](id);
    expect(draft.attachments.map((a) => a.id)).toEqual([infos[0]!.id]);
    const progress = seen.filter((s) => s.event === 'scanProgress').map((s) => s.payload);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ deviceId: 'sane:test', page: 1, percent: 100 });

    // The feeder of the test backend holds ten sheets: every one lands in the field, in order.
    const batch = await t.app.handlers['scanning.scan'](id, '$6', 'sane:test', {
      resolution: 50,
      mode: 'gray',
      source: 'adf',
    });
    expect(batch.map((i) => i.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batch.at(-1)!.fileName).toBe('scansione-10.png');
  });

  it('finds a device not listed yet by asking again, and refuses one that does not exist', async () => {
    const t = await startApp({ config: scanningConfig() });
    const id = await filledDraft(t);
    const [info] = await t.app.handlers['scanning.scan'](id, '$7', 'sane:test', {
      resolution: 75,
      mode: 'gray',
      source: 'flatbed',
    });
    expect(info!.fieldKey).toBe('$7');
    const e = await failure(
      t.app.handlers['scanning.scan'](id, '$7', 'sane:nosuchdevice', {
        resolution: 75,
        mode: 'gray',
        source: 'flatbed',
      }),
    );
    expect(e.code).toBe('scanner_unavailable');
    expect(e.details?.reason).toBe('no_device');
  });

  it('checks the draft and the field before the paper moves', async () => {
    const t = await startApp({ config: scanningConfig() });
    const id = await filledDraft(t);
    const options = { resolution: 75, mode: 'gray', source: 'flatbed' } as const;
    const notFile = await failure(t.app.handlers['scanning.scan'](id, '$0', 'sane:test', options));
    expect(notFile.code).toBe('invalid_argument');
    const noDraft = await failure(
      t.app.handlers['scanning.scan']('3b241101-e2bb-4255-8caf-4136c566a962', '$5', 'sane:test', options),
    );
    expect(noDraft.code).toBe('draft_not_found');
  });

  it('cancels a running scan and keeps nothing of it', async () => {
    const t = await startApp({ config: scanningConfig() });
    const id = await filledDraft(t);
    await t.app.handlers['scanning.devices']();
    const unsubscribe = t.app.events.subscribe((event) => {
      if (event === 'scanProgress') void t.app.handlers['scanning.cancel']('sane:test');
    });
    const started = Date.now();
    const e = await failure(
      t.app.handlers['scanning.scan'](id, '$5', 'sane:test', {
        resolution: 1200,
        mode: 'color',
        source: 'adf',
      }),
    );
    unsubscribe();
    expect(e.code).toBe('scanner_unavailable');
    expect(e.details?.reason).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await t.app.handlers['drafts.get'](id)).attachments).toEqual([]);
    // Cancelling when nothing runs is harmless.
    expect(await t.app.handlers['scanning.cancel']('sane:test')).toBeNull();
  });
});

/** The clerk picks `folder` in main's folder dialog (the only way to set the watched folder). */
function chooseWatchFolder(t: TestApp, folder: string) {
  t.ports.dialogs.answer({ folder });
  return t.app.handlers['settings.chooseFolder']('watchFolder');
}

describe('watched scan folder through the app', () => {
  it('offers a new file in the folder, and puts it into a draft field', async () => {
    const folder = tempDir();
    const t = await startApp({ config: scanningConfig() });
    await chooseWatchFolder(t, folder);
    const seen = record(t);
    await t.app.start();
    expect(await t.app.handlers['scans.status']()).toEqual({ folder, watching: true, problem: null });
    expect(await t.app.handlers['scans.recent']()).toEqual([]);

    await writeFile(join(folder, 'documento.png'), await pngImage(600, 400));
    await until(async () => (await t.app.handlers['scans.recent']()).length === 1);
    const [scan] = await t.app.handlers['scans.recent']();
    expect(scan).toMatchObject({ name: 'documento.png', mime: 'image/png' });
    // The path stays in main.
    expect(Object.keys(scan!).sort()).toEqual(['id', 'mime', 'mtime', 'name', 'size']);
    expect(seen.some((s) => s.event === 'scansChanged' && (s.payload as unknown[]).length === 1)).toBe(true);

    const id = await filledDraft(t);
    const info = await t.app.handlers['scans.use'](id, '$7', scan!.id);
    expect(info).toMatchObject({ fieldKey: '$7', fileName: 'documento.png', sourceKind: 'png' });
    expect((await t.app.handlers['drafts.get'](id)).attachments).toHaveLength(1);
    expect(await t.app.handlers['scans.recent']()).toEqual([]);
    expect(seen.at(-1)).toEqual({ event: 'scansChanged', payload: [] });
    const gone = await failure(t.app.handlers['scans.use'](id, '$7', scan!.id));
    expect(gone.code).toBe('not_found');
  });

  it('dismisses a scan from the tray', async () => {
    const folder = tempDir();
    await writeFile(join(folder, 'vecchia.png'), await pngImage(300, 200));
    const t = await startApp({ config: scanningConfig() });
    await chooseWatchFolder(t, folder);
    await t.app.start();
    await until(async () => (await t.app.handlers['scans.recent']()).length === 1);
    const [scan] = await t.app.handlers['scans.recent']();
    expect(await t.app.handlers['scans.dismiss'](scan!.id)).toBeNull();
    expect(await t.app.handlers['scans.recent']()).toEqual([]);
  });

  it('starts without a missing folder, says why, and follows the setting when it changes', async () => {
    const missing = join(tempDir(), 'non-esiste');
    const t = await startApp({ config: scanningConfig() });
    await chooseWatchFolder(t, missing);
    await t.app.start();
    const status = await t.app.handlers['scans.status']();
    expect(status).toMatchObject({ folder: missing, watching: false });
    expect(status.problem).toMatch(/non esiste/);
    expect(await t.app.handlers['scans.recent']()).toEqual([]);

    // The clerk creates the folder and saves the same setting again: now it is watched.
    await mkdir(missing);
    await chooseWatchFolder(t, missing);
    expect(await t.app.handlers['scans.status']()).toEqual({
      folder: missing,
      watching: true,
      problem: null,
    });

    const folder = tempDir();
    await writeFile(join(folder, 'pronta.png'), await pngImage(300, 200));
    await chooseWatchFolder(t, folder);
    expect(await t.app.handlers['scans.status']()).toEqual({ folder, watching: true, problem: null });
    await until(async () => (await t.app.handlers['scans.recent']()).length === 1);

    // A relative path from the dialog (some desktop portals) is refused; the folder stays watched.
    const relative = await failure(chooseWatchFolder(t, 'scansioni'));
    expect(relative).toMatchObject({ code: 'invalid_argument' });
    expect(relative.message).toMatch(/percorso completo/);
    expect(await t.app.handlers['scans.status']()).toEqual({ folder, watching: true, problem: null });

    await t.app.handlers['settings.update']({ watchFolder: null });
    expect(await t.app.handlers['scans.status']()).toEqual({ folder: null, watching: false, problem: null });
    expect(await t.app.handlers['scans.recent']()).toEqual([]);
  });
});

describe('card barcode and mandato through the app', () => {
  it('reads the codice fiscale from a card attached to a draft, and from a watched-folder scan', async () => {
    const folder = tempDir();
    const t = await startApp({ config: scanningConfig() });
    const id = await filledDraft(t);
    const card = await t.app.handlers['attachments.add'](id, '$6', {
      name: 'tessera-retro.png',
      data: await cardBack({ cf: CF }),
    });
    const fromCard = await t.app.handlers['barcode.read'](id, card.id);
    expect(fromCard).toMatchObject({
      cf: CF,
      valid: true,
      issue: null,
      birthDate: '1985-12-10',
      sex: 'M',
      placeCode: 'A562',
      confidence: 'high',
    });
    expect(fromCard!.placeName).toBeTypeOf('string');
    const photo = await t.app.handlers['attachments.add'](id, '$7', {
      name: 'foto.png',
      data: await pngImage(),
    });
    expect(await t.app.handlers['barcode.read'](id, photo.id)).toBeNull();
    const missing = await failure(t.app.handlers['barcode.read'](id, '3b241101-e2bb-4255-8caf-4136c566a962'));
    expect(missing.code).toBe('not_found');

    await chooseWatchFolder(t, folder);
    await t.app.start();
    await writeFile(join(folder, 'tessera.jpg'), await cardBack({ cf: 'RCCMNL83S18D969H', format: 'jpeg' }));
    await until(async () => (await t.app.handlers['scans.recent']()).length === 1);
    const [scan] = await t.app.handlers['scans.recent']();
    const reading = await t.app.handlers['barcode.readScan'](scan!.id);
    expect(reading).toMatchObject({ cf: 'RCCMNL83S18D969H', valid: true, placeCode: 'D969' });
    expect(reading!.placeName).toMatch(/genova/i);
  });

  it('generates the mandato with the client, the service, and the office from the settings', async () => {
    const t = await startApp({ config: scanningConfig() });
    await t.app.handlers['settings.update']({
      officeName: 'Patronato Sportello – Sede di Genova',
      operatorName: 'Giulia Bianchi',
    });
    const id = await filledDraft(t);
    const draft = await t.app.handlers['drafts.get'](id);
    const pdf = await t.app.handlers['mandato.generate'](id);
    expect(pdf.name).toBe('Mandato Rossi Mario.pdf');
    expect(Buffer.from(pdf.data.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf.data);
    expect(text).toContain('Rossi Mario');
    expect(text).toContain(CF);
    expect(text).toContain(draft.serviceName);
    expect(text).toContain('Patronato Sportello – Sede di Genova');
    expect(text).toContain('Giulia Bianchi');
    expect(text).toContain('Data 23/11/2026');
  });

  it('refuses a mandato without the client’s name or with an invalid CF, saying which as data', async () => {
    const t = await startApp({ config: scanningConfig() });
    const noName = await filledDraft(t, { $0: '' });
    const e1 = await failure(t.app.handlers['mandato.generate'](noName));
    expect(e1.code).toBe('validation_failed');
    expect(e1.details).toEqual({ purpose: 'mandato', fields: ['nome', 'cognome'] });
    expect(e1.message).toMatch(/nome e cognome/);
    const badCf = await filledDraft(t, { $4: 'RSSMRA85T10A562X' });
    const e2 = await failure(t.app.handlers['mandato.generate'](badCf));
    expect(e2.code).toBe('validation_failed');
    expect(e2.details).toMatchObject({ purpose: 'mandato', fields: ['codiceFiscale'] });
    expect(e2.details?.issue).toHaveProperty('code');
    expect(e2.message).toMatch(/codice fiscale/);
    const noCf = await filledDraft(t, { $4: '' });
    const e3 = await failure(t.app.handlers['mandato.generate'](noCf));
    expect(e3.details).toEqual({ purpose: 'mandato', fields: ['codiceFiscale'] });
    expect(e3.message).toMatch(/codice fiscale/);
    const e4 = await failure(t.app.handlers['mandato.generate']('3b241101-e2bb-4255-8caf-4136c566a962'));
    expect(e4.code).toBe('draft_not_found');
  });
});
