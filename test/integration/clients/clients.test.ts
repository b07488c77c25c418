import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endOfDay } from '../../../common/client-files.ts';
import { AesCipher } from '../../../main/adapters/node/aes-cipher.ts';
import type { AppError } from '../../../main/errors.ts';
import { sqliteOf, startApp, type TestApp } from '../../support/app.ts';
import { MARIO as HOLDER, cieBack } from '../../support/documents.ts';
import { CONGEDO, MARIO, congedoDraft, sendDraft } from '../../support/drafts.ts';
import { pngImage, textPdf } from '../../support/files.ts';
import { pdfText } from '../../support/pdf.ts';

const DAY = 86_400_000;

const send = (t: TestApp, id: string) => sendDraft(t.app, id);

const error = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

const clientDir = (t: TestApp) => join(t.root, 'userData', 'clienti');
/** Nothing kept on this PC's disk: documents on file are in the register only. */
const localFiles = (t: TestApp) => (existsSync(clientDir(t)) ? readdirSync(clientDir(t)) : []);
/** The documents on file as the register holds them, sealed. */
const keptFiles = (t: TestApp) =>
  sqliteOf(t.app).prepare('SELECT id, cf, file_name, sealed FROM client_files').all() as {
    id: string;
    cf: string;
    file_name: string;
    sealed: Buffer;
  }[];

describe('returning clients', () => {
  it('starts a new request for a known client from their last one, marked as copied', async () => {
    const t = await startApp();
    const first = await congedoDraft(t.app, { fields: { $3: '333 765 4321' } });
    await send(t, first);
    const h = t.app.handlers;

    const draft = await h['drafts.create'](CONGEDO, { clientCf: 'RSSMRA85T10A562S' });
    expect(draft.fields).toMatchObject({
      $0: 'Mario',
      $1: 'Rossi',
      $2: 'mario.rossi@example.it',
      $3: '333 765 4321',
      $4: 'RSSMRA85T10A562S',
    });
    expect(draft.prefilled).toEqual(draft.fields);
    // Editable: the clerk's change wins, the copy stays recorded as the copy.
    const edited = await h['drafts.update'](draft.id, { fields: { $2: 'nuova@example.it' } });
    expect(edited.fields.$2).toBe('nuova@example.it');
    expect(edited.prefilled.$2).toBe('mario.rossi@example.it');
    const created = (await h['requests.get'](first)).events; // the first request's trail is untouched
    expect(created.map((e) => e.kind)).not.toContain('documents_kept');
    const trail = await t.app.internals.store.trail.of(draft.id);
    expect(trail[0]).toMatchObject({ kind: 'created', data: { prefilledFrom: first } });
    expect(JSON.stringify(trail)).not.toContain('mario.rossi');

    const unknown = await error(h['drafts.create'](CONGEDO, { clientCf: 'BNCGLI90A41H501E' }));
    expect(unknown?.code).toBe('not_found');
  });

  it('shows a client by codice fiscale: every request, the outputs; and finds them by name or code', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const first = await congedoDraft(t.app);
    await send(t, first);
    // Done, with its outputs in the archive.
    t.clock.advance(200_000);
    await h['requests.refresh'](first);
    await t.app.internals.documents.download(first);
    const second = await congedoDraft(t.app);
    await h['duplicates.acknowledge'](second, [first]);
    await send(t, second);
    const other = await congedoDraft(t.app, {
      fields: { $0: 'Giulia', $1: 'Bianchi', $4: 'BNCGLI90A41H501E' },
    });
    await send(t, other).catch(() => null);

    const client = await h['clients.get']('rssmra85t10a562s');
    expect(client).toMatchObject({ cf: 'RSSMRA85T10A562S', nome: 'Mario', cognome: 'Rossi' });
    expect(client.requests.map((r) => r.id).sort()).toEqual([first, second].sort());
    expect(client.outputs.length).toBeGreaterThan(0);
    expect(client.outputs.every((o) => o.requestId === first && o.document.available)).toBe(true);
    expect(client.files).toEqual([]);
    expect(client.consent).toBeNull();

    expect((await h['clients.search']('ross')).map((m) => m.cf)).toEqual(['RSSMRA85T10A562S']);
    expect((await h['clients.search']('ross')).at(0)?.requests).toBe(2);
    expect((await h['clients.search']('BNCGLI')).map((m) => m.name)).toEqual(['Bianchi Giulia']);
    expect(await h['clients.search']('nessuno')).toEqual([]);
    // As the new-request box is typed: a grouped code in lower case finds its client; a service's
    // name, which the register's search also looks at, is no client.
    expect((await h['clients.search']('rss mra 85t10')).map((m) => m.cf)).toEqual(['RSSMRA85T10A562S']);
    expect(await h['clients.search']('congedo')).toEqual([]);
    const stranger = await h['clients.get']('VRDLCU75M12F205J');
    expect(stranger.requests).toEqual([]);
  });
});

describe('documents on file, with consent', () => {
  it('without consent keeps nothing: the scans go once the request is accepted', async () => {
    const t = await startApp();
    const id = await congedoDraft(t.app);
    await send(t, id);
    expect(existsSync(join(t.root, 'userData', 'drafts', id))).toBe(false);
    expect(keptFiles(t)).toEqual([]);
    expect((await t.app.handlers['clients.get'](MARIO.$4)).files).toEqual([]);
  });

  it('with consent keeps the ID and the CF card encrypted until the expiry given, then offers them in one click', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    await h['settings.update']({ operatorName: 'Laura' });
    const id = await congedoDraft(t.app);
    const expiry = new Date(t.clock.now() + 100 * DAY).toISOString().slice(0, 10);
    const consent = await h['clients.consent'](MARIO.$4, expiry, id);
    expect(consent).toMatchObject({ operator: 'Laura', documentExpiry: expiry, grantedAt: t.clock.now() });
    await send(t, id);

    const client = await h['clients.get'](MARIO.$4);
    expect(client.files.map((f) => f.kind).sort()).toEqual(['codice_fiscale', 'identita']);
    for (const file of client.files) {
      expect(file.expiresAt).toBeLessThanOrEqual(t.clock.now() + 101 * DAY);
      expect(file.expiresAt).toBeGreaterThan(t.clock.now() + 99 * DAY);
    }
    // Sealed in the register, nothing on this PC's disk; no PDF in the register; the mandato is never kept.
    const kept = keptFiles(t);
    expect(kept).toHaveLength(2);
    expect(localFiles(t)).toEqual([]);
    for (const file of kept) expect(file.sealed.includes('%PDF')).toBe(false);
    const trail = (await h['requests.get'](id)).events.map((e) => e.kind);
    expect(trail).toEqual(expect.arrayContaining(['consent_granted', 'documents_kept', 'scans_deleted']));

    // The next request takes them with one call; they are the very documents sent the first time.
    const next = await h['drafts.create'](CONGEDO, { clientCf: MARIO.$4 });
    const added = await h['clients.useFiles'](next.id);
    expect(added.map((a) => a.fieldKey).sort()).toEqual(['$5', '$6']);
    // The card sent as one PDF comes back byte for byte; the photo of the ID as the PDF it was sent as.
    const first = (await h['requests.get'](id)).attachments;
    const byField = Object.fromEntries(added.map((a) => [a.fieldKey, a]));
    expect(byField.$6!.sha256).toBe(first.find((a) => a.fieldKey === '$6')!.sha256);
    expect(byField.$5).toMatchObject({ mime: 'application/pdf', pages: 1 });
    expect((await h['requests.get'](next.id)).events.map((e) => e.kind)).toContain('documents_reused');
  });

  it('keeps them 12 months at most, and the retention run deletes them once expired', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const id = await congedoDraft(t.app);
    await h['clients.consent'](MARIO.$4, null, id);
    await send(t, id);
    const [file] = (await h['clients.get'](MARIO.$4)).files;
    expect(file!.expiresAt - t.clock.now()).toBeGreaterThan(364 * DAY);
    expect(file!.expiresAt - t.clock.now()).toBeLessThan(367 * DAY);
    // A ten-year CIE is not kept ten years.
    await h['clients.consent'](MARIO.$4, '2035-01-01', null);
    const again = await congedoDraft(t.app);
    await h['duplicates.acknowledge'](
      again,
      (await h['duplicates.check'](again)).map((d) => d.id),
    );
    await send(t, again);
    for (const f of (await h['clients.get'](MARIO.$4)).files)
      expect(f.expiresAt - t.clock.now()).toBeLessThan(367 * DAY);
    expect(keptFiles(t)).toHaveLength(2);

    t.clock.advance(370 * DAY);
    await t.app.start();
    await t.app.internals.idle();
    expect((await h['clients.get'](MARIO.$4)).files).toEqual([]);
    expect(keptFiles(t)).toEqual([]);
  });

  it('with a retention period, deletes kept documents older than it', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    t.ports.dialogs.answer({ confirm: true });
    await h['settings.update']({ retentionDays: 30 });
    const id = await congedoDraft(t.app);
    await h['clients.consent'](MARIO.$4, null, id);
    await send(t, id);
    expect(keptFiles(t)).toHaveLength(2);
    t.clock.advance(31 * DAY);
    await t.app.start();
    await t.app.internals.idle();
    expect(keptFiles(t)).toEqual([]);
  });

  it('revoking deletes them at once and is written in the trail', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const id = await congedoDraft(t.app);
    await h['clients.consent'](MARIO.$4, null, id);
    await send(t, id);
    expect(keptFiles(t)).toHaveLength(2);
    const after = await h['clients.revokeConsent'](MARIO.$4, null);
    expect(after.files).toEqual([]);
    expect(after.consent).toBeNull();
    expect(keptFiles(t)).toEqual([]);
    const kinds = (
      sqliteOf(t.app).prepare('SELECT kind FROM events WHERE request_id IS NULL').all() as {
        kind: string;
      }[]
    ).map((e) => e.kind);
    expect(kinds).toContain('consent_revoked');
    // Without consent, the next request's scans go as always.
    const next = await congedoDraft(t.app);
    await h['duplicates.acknowledge'](
      next,
      (await h['duplicates.check'](next)).map((d) => d.id),
    );
    await send(t, next);
    expect(keptFiles(t)).toEqual([]);
  });

  it('refuses to take consent where the OS keystore cannot protect the documents', async () => {
    const t = await startApp({ cipher: new AesCipher({ backend: 'basic_text' }) });
    const id = await congedoDraft(t.app);
    const refused = await error(t.app.handlers['clients.consent'](MARIO.$4, null, id));
    expect(refused?.code).toBe('keystore_unavailable');
    expect((await t.app.handlers['clients.get'](MARIO.$4)).canKeepFiles).toBe(false);
  });

  it('prints the consent on the mandato of the client who gave it', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const id = await congedoDraft(t.app, { documents: { $5: { name: 'ci.pdf', data: await textPdf(1) } } });
    const [before] = await pdfText((await h['mandato.generate'](id)).data);
    expect(before).not.toContain('Consenso alla conservazione');
    await h['clients.consent'](MARIO.$4, '2027-03-31', id);
    const [text] = await pdfText((await h['mandato.generate'](id)).data);
    expect(text).toContain('Consenso alla conservazione dei documenti');
    expect(text).toContain('fino al 31/03/2027');
  });
});

describe('the ID card’s own expiry feeds documents on file', () => {
  /** Reading pages runs in a thread: on a busy 2-core machine a read takes a while. */
  const READS = 180_000;
  /** The local calendar day `days` from the test clock, yyyy-mm-dd, as an MRZ gives it. */
  const dayFrom = (t: TestApp, days: number) => {
    const d = new Date(t.clock.now() + days * DAY);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };

  /** A congedo draft whose ID document is the back of a CIE expiring on `expiry`, dropped as it comes. */
  async function draftWithCie(t: TestApp, expiry: string) {
    const id = await congedoDraft(t.app, {
      documents: {
        $6: { name: 'tessera.pdf', data: await textPdf(1) },
        $7: { name: 'mandato.png', data: await pngImage() },
      },
    });
    const placed = await t.app.handlers['attachments.place'](id, [
      { name: 'IMG_20261123_101530.jpg', data: await cieBack({ ...HOLDER, expiry }) },
    ]);
    expect(placed.placed).toMatchObject([{ fieldKey: '$5', reason: 'mrz' }]);
    return id;
  }

  it(
    'keeps the ID until the card’s own expiry when it comes before 12 months, even with consent given without one',
    async () => {
      const t = await startApp();
      const h = t.app.handlers;
      const expiry = dayFrom(t, 100);
      const id = await draftWithCie(t, expiry);
      // The clerk gave consent before the card was read, leaving the expiry empty (12 months).
      await h['clients.consent'](MARIO.$4, null, id);
      await send(t, id);

      const files = (await h['clients.get'](MARIO.$4)).files;
      const identity = files.find((f) => f.kind === 'identita');
      const card = files.find((f) => f.kind === 'codice_fiscale');
      expect(identity?.expiresAt).toBe(endOfDay(expiry));
      // The CF card has no expiry of its own read: the consent's 12 months.
      expect(card!.expiresAt - t.clock.now()).toBeGreaterThan(364 * DAY);
      const kept = (await h['requests.get'](id)).events.find((e) => e.kind === 'documents_kept');
      expect(kept?.data).toMatchObject({ kinds: ['identita', 'codice_fiscale'], identityExpiry: expiry });

      // The day after the card expires it is no longer offered, and the retention run deletes it.
      t.clock.advance(101 * DAY);
      expect((await h['clients.get'](MARIO.$4)).files.map((f) => f.kind)).toEqual(['codice_fiscale']);
      const next = await h['drafts.create'](CONGEDO, { clientCf: MARIO.$4 });
      expect((await h['clients.useFiles'](next.id)).map((a) => a.fieldKey)).toEqual(['$6']);
      await t.app.start();
      await t.app.internals.idle();
      expect(keptFiles(t)).toHaveLength(1);
    },
    READS,
  );

  it(
    'keeps the 12 months when the card runs longer: the earlier of the two',
    async () => {
      const t = await startApp();
      const h = t.app.handlers;
      const id = await draftWithCie(t, dayFrom(t, 3000));
      await h['clients.consent'](MARIO.$4, null, id);
      await send(t, id);
      const identity = (await h['clients.get'](MARIO.$4)).files.find((f) => f.kind === 'identita');
      expect(identity!.expiresAt - t.clock.now()).toBeGreaterThan(364 * DAY);
      expect(identity!.expiresAt - t.clock.now()).toBeLessThan(367 * DAY);
    },
    READS,
  );

  it(
    'does not keep an expired card for reuse, and says so in the trail; the CF card is kept',
    async () => {
      const t = await startApp();
      const h = t.app.handlers;
      const expired = dayFrom(t, -10);
      const id = await draftWithCie(t, expired);
      await h['clients.consent'](MARIO.$4, null, id);
      await send(t, id);

      expect((await h['clients.get'](MARIO.$4)).files.map((f) => f.kind)).toEqual(['codice_fiscale']);
      expect(keptFiles(t)).toHaveLength(1);
      const kept = (await h['requests.get'](id)).events.find((e) => e.kind === 'documents_kept');
      expect(kept?.data).toMatchObject({ kinds: ['codice_fiscale'], expiredIdentity: expired });
    },
    READS,
  );
});
