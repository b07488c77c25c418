import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../common/api.ts';
import type { App } from '../../../main/app.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { photoJpeg, textPdf } from '../../support/files.ts';

/** The test simulator's durations: a minute to "Dati disponibili", a minute more to "Visura evasa". */
const SIM_STEP = 60_000;

async function submitted(app: App, fields: Record<string, string> = {}) {
  const h = app.handlers;
  const id = await congedoDraft(app, {
    fields,
    documents: {
      $5: { name: 'ci.jpg', data: await photoJpeg(800, 600) },
      $6: { name: 'cf.pdf', data: await textPdf(1) },
    },
  });
  const quote = await h['requests.quote'](id);
  await h['requests.submit'](id, quote.total);
  return id;
}

/** Steps the shared clock and lets the tracker's cycle (and the downloads it starts) finish. */
async function step(t: TestApp, ms: number) {
  t.clock.advance(ms);
  await t.app.internals.tracker.cycle();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await t.app.internals.tracker.cycle();
}

async function settle(t: TestApp, id: string) {
  for (let i = 0; i < 50 && (await t.app.internals.store.requests.get(id))?.documentsState === 'none'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the tracker', () => {
  it('follows a request to "Visura evasa", stores each change as an event and pushes it', async () => {
    const t = await startApp();
    const seen: EventPayload<'requestChanged'>[] = [];
    t.app.events.subscribe((event, payload) => {
      if (event === 'requestChanged') seen.push(payload as EventPayload<'requestChanged'>);
    });
    t.app.internals.tracker.start();
    const id = await submitted(t.app);
    await step(t, SIM_STEP);
    expect(await t.app.internals.store.requests.get(id)).toMatchObject({
      status: 'pending',
      remoteState: 'Dati disponibili',
    });
    await step(t, SIM_STEP);
    await settle(t, id);
    const row = (await t.app.internals.store.requests.get(id))!;
    expect(row).toMatchObject({ status: 'done', remoteState: 'Visura evasa', documentsState: 'ready' });
    expect(seen.map((s) => s.remoteState)).toEqual(
      expect.arrayContaining(['In erogazione', 'Dati disponibili', 'Visura evasa']),
    );
    const kinds = (await t.app.internals.store.trail.of(id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'status_changed')).toHaveLength(2);
    expect(kinds).toContain('downloaded');
    // No client name on a desktop notification (others see the screen; the OS keeps a history).
    expect(t.ports.notifier.sent).toEqual([
      {
        title: 'Pratica completata',
        body: 'Indennità per congedo parentale (n. 2026-000001): aprite Sportello per i dettagli',
      },
    ]);
  });

  it('writes the outputs into <archive>/<Cognome Nome – CF>/<data servizio – id>/ and opens them', async () => {
    const t = await startApp();
    const id = await submitted(t.app);
    await step(t, SIM_STEP * 2);
    await settle(t, id);
    const detail = await t.app.handlers['requests.get'](id);
    expect(detail.documents.length).toBeGreaterThan(0);
    const folder = detail.archiveFolder!;
    expect(folder.startsWith(join(t.root, 'Archivio', 'Rossi Mario – RSSMRA85T10A562S'))).toBe(true);
    expect(folder).toContain(`Indennità per congedo parentale – ${detail.remoteId}`);
    for (const doc of detail.documents) {
      expect(doc.available).toBe(true);
      expect(readFileSync(doc.path).subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect(
      readdirSync(join(t.root, 'Archivio', 'Rossi Mario – RSSMRA85T10A562S')).filter((n) =>
        n.startsWith('.'),
      ),
    ).toEqual([]);

    await t.app.handlers['documents.open'](detail.documents[0]!.id);
    await t.app.handlers['documents.showInFolder'](detail.documents[0]!.id);
    expect(t.ports.opener.opened).toEqual([detail.documents[0]!.path]);
    expect(t.ports.opener.shown).toEqual([detail.documents[0]!.path]);
    const opened = (await t.app.internals.store.trail.of(id)).filter((e) => e.kind === 'opened');
    expect(opened).toHaveLength(2);
  });

  it('downloads again, replacing the folder, when asked', async () => {
    const t = await startApp();
    const id = await submitted(t.app);
    await step(t, SIM_STEP * 2);
    await settle(t, id);
    const before = await t.app.handlers['requests.get'](id);
    await t.app.handlers['requests.retry'](id);
    const after = await t.app.handlers['requests.get'](id);
    expect(after.documents.map((d) => d.path)).toEqual(before.documents.map((d) => d.path));
    expect(after.documents.every((d) => existsSync(d.path))).toBe(true);
    expect(after.events.filter((e) => e.kind === 'downloaded')).toHaveLength(2);
  });

  it('marks a refused request cancelled with the reason, and says so', async () => {
    const t = await startApp();
    const id = await submitted(t.app, { $2: 'mario+annulla@example.it' });
    await step(t, SIM_STEP);
    const row = (await t.app.internals.store.requests.get(id))!;
    expect(row.status).toBe('cancelled');
    expect(row.remoteEsito?.codice).not.toBe('0');
    // Refused by the CAF/Patronato, in the words the screens use for it.
    expect(t.ports.notifier.sent[0]?.title).toBe('Pratica respinta');
    expect((await t.app.handlers['requests.get'](id)).state).toBe('respinta');
  });

  it('reads many pending requests with one list call per cycle', async () => {
    const t = await startApp();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await submitted(t.app));
    const gets = () => t.simulator.calls.get('GET /richiesta') ?? 0;
    const before = gets();
    t.clock.advance(1_000);
    const quiet = await t.app.internals.tracker.cycle();
    expect(quiet).toMatchObject({ checked: 5, calls: 1, changed: 0 });
    expect(gets() - before).toBe(1);

    t.clock.advance(SIM_STEP);
    const moved = await t.app.internals.tracker.cycle();
    expect(moved.calls).toBe(1 + 5); // the list, then each request whose state moved, in full
    expect(moved.changed).toBe(5);
  });

  it('keeps going with backoff when the API is unreachable, telling the clerk nothing alarming', async () => {
    const t = await startApp();
    const id = await submitted(t.app);
    t.simulator.faults.add({ kind: 'status', status: 503, times: 50 });
    t.clock.advance(SIM_STEP * 2);
    await t.app.internals.tracker.cycle();
    const row = (await t.app.internals.store.requests.get(id))!;
    expect(row.status).toBe('pending');
    expect(row.lastError).toBeNull();
    expect(row.nextPollAt! - t.clock.now()).toBeGreaterThan(2_000);

    t.simulator.faults.clear();
    t.clock.advance(60_000);
    await t.app.internals.tracker.cycle();
    expect((await t.app.internals.store.requests.get(id))!.status).toBe('done');
  });

  it('refreshes one request on demand ("Aggiorna ora")', async () => {
    const t = await startApp();
    const id = await submitted(t.app);
    t.clock.advance(SIM_STEP);
    const summary = await t.app.handlers['requests.refresh'](id);
    expect(summary.remoteState).toBe('Dati disponibili');
  });

  it('lets the clerk choose a search result, then follows the request', async () => {
    const t = await startApp();
    const services = await t.app.handlers['catalog.list']();
    let hash = '';
    for (const s of services.filter((x) => x.categoria === 'Camerali')) {
      if ((await t.app.handlers['catalog.detail'](s.hash)).ricerca) {
        hash = s.hash;
        break;
      }
    }
    const detail = await t.app.handlers['catalog.detail'](hash);
    const name = detail.fields.find((f) => f.tipo === 'denominazione')!;
    const draft = await t.app.handlers['drafts.create'](hash);
    await t.app.handlers['drafts.update'](draft.id, { fields: { [name.key]: 'rossi' } });
    const quote = await t.app.handlers['requests.quote'](draft.id);
    const sent = await t.app.handlers['requests.submit'](draft.id, quote.total);
    expect(sent.awaitingChoice).toBe(true);
    const full = await t.app.handlers['requests.get'](draft.id);
    expect(full.search!.results.length).toBeGreaterThan(0);
    const chosen = await t.app.handlers['requests.chooseResult'](
      draft.id,
      full.search!.idRicerca,
      full.search!.results[0]!.indice,
    );
    expect(chosen).toMatchObject({ awaitingChoice: false, remoteState: 'In erogazione' });
    expect(t.simulator.charges().map((c) => c.what)).toEqual(['ricerca', 'visura']);
  });
});
