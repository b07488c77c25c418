import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { App } from '../../../main/app.ts';
import { CONGEDO } from '../../support/simulator.ts';
import { sqliteOf, startApp, type TestApp } from '../../support/app.ts';
import { photoJpeg, textPdf } from '../../support/files.ts';

const DAY = 86_400_000;

/** Every file under `dir`, hidden leftovers of interrupted writes apart. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.sportello-')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

async function doneRequest(t: TestApp): Promise<string> {
  const h = t.app.handlers;
  const draft = await h['drafts.create'](CONGEDO);
  await h['drafts.update'](draft.id, {
    fields: { $0: 'Anna', $1: 'Verdi', $2: 'anna@example.it', $3: '3471234567', $4: 'VRDNNA80A41H501H' },
  });
  await h['attachments.add'](draft.id, '$5', { name: 'ci.jpg', data: await photoJpeg(600, 400) });
  await h['attachments.add'](draft.id, '$6', { name: 'cf.pdf', data: await textPdf(1) });
  const quote = await h['requests.quote'](draft.id);
  await h['requests.submit'](draft.id, quote.total);
  t.clock.advance(120_000);
  await t.app.internals.tracker.cycle();
  for (
    let i = 0;
    i < 100 && (await t.app.internals.store.requests.get(draft.id))?.documentsState !== 'ready';
    i++
  )
    await new Promise((resolve) => setTimeout(resolve, 20));
  expect((await t.app.internals.store.requests.get(draft.id))?.documentsState).toBe('ready');
  return draft.id;
}

async function staleDraft(app: App): Promise<string> {
  const draft = await app.handlers['drafts.create'](CONGEDO);
  await app.handlers['drafts.update'](draft.id, { fields: { $0: 'Luca', $4: 'BNCLCU90A01F205V' } });
  await app.handlers['attachments.add'](draft.id, '$5', { name: 'ci.jpg', data: await photoJpeg(300, 200) });
  return draft.id;
}

describe('retention', () => {
  it('keeps everything while retention is off (the default)', async () => {
    const t = await startApp();
    const id = await doneRequest(t);
    const before = await t.app.handlers['requests.get'](id);
    t.clock.advance(3650 * DAY);
    const report = await t.app.internals.retention.run();
    expect(report.purged).toBe(0);
    const after = await t.app.handlers['requests.get'](id);
    expect(after.clientCf).toBe('VRDNNA80A41H501H');
    expect(after.documents.every((d) => existsSync(d.path))).toBe(true);
    expect(after.documents).toHaveLength(before.documents.length);
  });

  it('removes outputs and personal data past the configured days, keeping the trail and amounts', async () => {
    const t = await startApp();
    const id = await doneRequest(t);
    t.ports.dialogs.answer({ confirm: true });
    await t.app.handlers['settings.update']({ retentionDays: 30 });
    const detail = await t.app.handlers['requests.get'](id);
    const folder = detail.archiveFolder!;
    const files = detail.documents.map((d) => d.path);
    expect(files.length).toBeGreaterThan(0);

    t.clock.advance(29 * DAY);
    expect((await t.app.internals.retention.run()).purged).toBe(0);
    expect(files.every((f) => existsSync(f))).toBe(true);

    t.clock.advance(2 * DAY);
    expect((await t.app.internals.retention.run()).purged).toBe(1);
    expect(files.some((f) => existsSync(f))).toBe(false);
    expect(existsSync(folder)).toBe(false);
    // The client folder went with its last request; the archive root stays.
    expect(existsSync(join(t.root, 'Archivio'))).toBe(true);

    const purged = await t.app.handlers['requests.get'](id);
    expect(purged).toMatchObject({ clientCf: null, clientName: '', purged: true, chargedPrice: 14.7 });
    expect(purged.fields.filter((f) => f.tipo !== 'file').every((f) => f.value === '')).toBe(true);
    expect(purged.attachments.map((a) => a.fileName)).toEqual(['documento 1', 'documento 1']);
    expect(purged.documents.every((d) => !d.available)).toBe(true);
    expect(purged.events.at(-1)).toMatchObject({ kind: 'purged' });
    // Nothing personal left anywhere in the database: rows, documents, attachments, the trail.
    for (const table of ['requests', 'documents', 'attachments', 'events']) {
      const raw = JSON.stringify(sqliteOf(t.app).prepare(`SELECT * FROM ${table}`).all());
      expect(raw, table).not.toContain('VRDNNA80A41H501H');
      expect(raw, table).not.toContain('anna@example.it');
      expect(raw, table).not.toContain('Verdi');
    }

    // A second run finds nothing more to do.
    expect((await t.app.internals.retention.run()).purged).toBe(0);
  });

  it('a download under way when its request is purged records nothing and leaves no file', async () => {
    const t = await startApp();
    const id = await doneRequest(t);
    t.ports.dialogs.answer({ confirm: true });
    await t.app.handlers['settings.update']({ retentionDays: 30 });
    t.clock.advance(31 * DAY);
    // A download (the tracker's, a retry, the start's) reads the request, then waits for the
    // service while retention purges it: the files it then writes are the purge's to delete too.
    t.simulator.faults.add({ kind: 'latency', method: 'GET', path: '/documento', ms: 400 });
    const download = t.app.internals.documents.download(id);
    expect((await t.app.internals.retention.run()).purged).toBe(1);
    await expect(download).rejects.toMatchObject({ code: 'not_allowed' });
    const live = sqliteOf(t.app)
      .prepare('SELECT count(*) AS n FROM documents WHERE request_id = ? AND removed_at IS NULL')
      .get(id) as { n: number };
    expect(live.n).toBe(0);
    expect(filesUnder(join(t.root, 'Archivio'))).toEqual([]);
    expect((await t.app.handlers['requests.get'](id)).purged).toBe(true);
  });

  it('runs one retention at a time: a second run while one is under way joins it', async () => {
    const t = await startApp();
    const id = await doneRequest(t);
    t.ports.dialogs.answer({ confirm: true });
    await t.app.handlers['settings.update']({ retentionDays: 30 });
    t.clock.advance(31 * DAY);
    const [first, second] = await Promise.all([
      t.app.internals.retention.run(),
      t.app.internals.retention.run(),
    ]);
    expect(first.purged).toBe(1);
    expect(second).toBe(first);
    const purges = sqliteOf(t.app)
      .prepare("SELECT count(*) AS n FROM events WHERE request_id = ? AND kind = 'purged'")
      .get(id) as { n: number };
    expect(purges.n).toBe(1);
    expect(filesUnder(join(t.root, 'Archivio'))).toEqual([]);
  });

  it('throws away drafts untouched for 30 days, with their scans', async () => {
    const t = await startApp();
    const old = await staleDraft(t.app);
    t.clock.advance(20 * DAY);
    const recent = await staleDraft(t.app);
    t.clock.advance(11 * DAY);
    const report = await t.app.internals.retention.run();
    expect(report.draftsDiscarded).toBe(1);
    expect(await t.app.internals.store.requests.get(old)).toBeNull();
    expect(existsSync(join(t.root, 'userData', 'drafts', old))).toBe(false);
    expect(existsSync(join(t.root, 'userData', 'drafts', recent))).toBe(true);
    const trail = sqliteOf(t.app)
      .prepare("SELECT data_json FROM events WHERE request_id IS NULL AND kind = 'deleted'")
      .all() as { data_json: string }[];
    expect(trail.map((e) => JSON.parse(e.data_json) as unknown)).toEqual([{ draft: old, reason: 'stale' }]);
  });
});
