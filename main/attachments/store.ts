import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ServiceDetail } from '../../common/catalog.ts';
import type { AttachmentInfo, AttachmentSource } from '../../common/requests.ts';
import { encodeFileString, sanitizeFileName } from '../../common/validators/fileString.ts';
import { AppError } from '../errors.ts';
import { PRIVATE_DIR, PRIVATE_FILE, privateDir } from '../files/private.ts';
import type { RegisterRow } from '../files/refused-paths.ts';
import type { Located, Roots } from '../files/roots.ts';
import type { AttachmentRow } from '../store/attachments.ts';
import type { AttachmentsPort, Register } from '../store/port.ts';
import { checkRequestBudget, MAX_INPUT_BYTES } from './limits.ts';
import { mergeToPdf } from './merge.ts';
import { normalizePart } from './normalize.ts';
import type { NormalizedPart } from './part.ts';
import { imageThumbnail } from './thumbnail.ts';

/**
 * The scans of drafts: normalised copies under `drafts/<draft id>/`, metadata in the register. The
 * renderer never reads a file itself; it hands over a path (drag and drop, granted) or bytes
 * (paste). The register records each scan as a name under this counter's drafts folder,
 * `<draft id>/<file>`: a row naming anything else — another draft's scan, `..`, an absolute or
 * network path, a link out — is refused and reported, never read or deleted (files/roots.ts).
 */
export class AttachmentStore {
  private readonly rows: AttachmentsPort;
  private readonly transaction: Register['transaction'];
  private readonly roots: Roots;
  private readonly now: () => number;
  private keep: ((draftId: string) => Promise<void>) | null = null;

  constructor(deps: {
    store: Pick<Register, 'attachments' | 'transaction'>;
    /** This counter's folders: the drafts' scans are under `roots.dir('drafts')`. */
    roots: Roots;
    now: () => number;
  }) {
    this.rows = deps.store.attachments;
    this.transaction = (fn) => deps.store.transaction(fn);
    this.roots = deps.roots;
    this.now = deps.now;
  }

  /**
   * Adds one part (a page, or a whole PDF) to a file field's document: at the end, or at `at`
   * (the parts from there on move one place down: "sostituisci il fronte" keeps the retro second).
   */
  async add(
    draftId: string,
    detail: ServiceDetail,
    fieldKey: string,
    source: AttachmentSource,
    at?: number,
  ): Promise<AttachmentInfo> {
    const field = detail.fields.find((f) => f.key === fieldKey);
    if (!field || field.tipo !== 'file') {
      throw new AppError('invalid_argument', `Il campo ${fieldKey} non accetta file`);
    }
    const { name, bytes } = await readSource(source);
    const part = await normalizePart(bytes, name);
    return this.store(draftId, fieldKey, name, part, at);
  }

  /** Keeps a part already normalised (see `normalize`) in a file field, as `add` does. */
  async store(
    draftId: string,
    fieldKey: string,
    name: string,
    part: NormalizedPart,
    at?: number,
  ): Promise<AttachmentInfo> {
    const id = randomUUID();
    const storedPath = this.roots.name(draftId, `${id}${part.mime === 'application/pdf' ? '.pdf' : '.jpg'}`);
    const dir = join(this.roots.dir('drafts'), draftId);
    // Copies of identity documents: the clerk's account's only (files/private.ts).
    privateDir(this.roots.dir('drafts'));
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
    const file = join(this.roots.dir('drafts'), ...storedPath.split('/'));
    await writeFile(file, part.bytes, { mode: PRIVATE_FILE });
    const thumbnail = await imageThumbnail(part);
    if (thumbnail) await writeFile(thumbPath(file), thumbnail, { encoding: 'utf8', mode: PRIVATE_FILE });
    const siblings = (await this.rows.of(draftId)).filter((a) => a.fieldKey === fieldKey);
    const position = at === undefined ? siblings.length : Math.min(at, siblings.length);
    const row: AttachmentRow = {
      id,
      requestId: draftId,
      fieldKey,
      position,
      fileName: sanitizeFileName(name),
      sourceKind: part.kind,
      mime: part.mime,
      size: part.bytes.length,
      pages: part.pages,
      sha256: createHash('sha256').update(part.bytes).digest('hex'),
      storedPath,
      createdAt: this.now(),
    };
    await this.transaction(async () => {
      for (const a of siblings.filter((s) => s.position >= position))
        await this.rows.setPosition(a.id, a.position + 1);
      await this.rows.insert(row);
    });
    return toInfo(row, thumbnail);
  }

  /** Reads and normalises a file without keeping it: for a drop of several files to be placed. */
  async normalize(source: AttachmentSource): Promise<{ name: string; part: NormalizedPart }> {
    const { name, bytes } = await readSource(source);
    return { name, part: await normalizePart(bytes, name) };
  }

  /**
   * Moves a part to another file field (at its end). When that leaves its own field empty and the
   * other field had a document, the two swap: the clerk corrects a misplaced drop in one action.
   */
  async move(draftId: string, attachmentId: string, toFieldKey: string): Promise<void> {
    const all = await this.rows.of(draftId);
    const moving = all.find((a) => a.id === attachmentId);
    if (!moving) throw new AppError('not_found', 'Allegato non trovato');
    if (moving.fieldKey === toFieldKey) return;
    const from = moving.fieldKey;
    const left = all.filter((a) => a.fieldKey === from && a.id !== attachmentId);
    const there = all.filter((a) => a.fieldKey === toFieldKey);
    const swap = left.length === 0 && there.length > 0;
    await this.transaction(async () => {
      for (const [i, a] of left.entries()) await this.rows.setPosition(a.id, i);
      if (swap) {
        for (const [i, a] of there.entries()) await this.rows.setField(a.id, from, i);
        await this.rows.setField(moving.id, toFieldKey, 0);
      } else {
        await this.rows.setField(moving.id, toFieldKey, there.length);
      }
    });
  }

  /** Removes one part; the others of the field close the gap. */
  async remove(draftId: string, attachmentId: string): Promise<void> {
    const all = await this.rows.of(draftId);
    const target = all.find((a) => a.id === attachmentId);
    if (!target) throw new AppError('not_found', 'Allegato non trovato');
    await this.transaction(async () => {
      await this.rows.delete(draftId, attachmentId);
      const rest = all.filter((a) => a.fieldKey === target.fieldKey && a.id !== attachmentId);
      for (const [i, a] of rest.entries()) await this.rows.setPosition(a.id, i);
    });
    const located = await this.scanOf(target);
    if (located) {
      await rm(located.path, { force: true });
      await rm(thumbPath(located.path), { force: true });
    }
  }

  async infos(draftId: string): Promise<AttachmentInfo[]> {
    return Promise.all(
      (await this.rows.of(draftId)).map(async (row) => {
        const located = await this.scanOf(row);
        // A thumbnail is only a picture: none when it cannot be read.
        const thumbnail = located ? await readFile(thumbPath(located.path), 'utf8').catch(() => null) : null;
        return toInfo(row, thumbnail);
      }),
    );
  }

  /** The stored (normalised) bytes of one part, for a preview. */
  async preview(draftId: string, attachmentId: string): Promise<{ mime: string; data: Uint8Array }> {
    const row = (await this.rows.of(draftId)).find((a) => a.id === attachmentId);
    if (!row?.storedPath) throw new AppError('not_found', 'Allegato non più disponibile');
    return { mime: row.mime, data: await readFile((await this.mustScanOf(row)).path) };
  }

  /**
   * Whether every stored part is on this PC's disk. A request's scans live on the counter that
   * created it (userData/drafts): another counter of the office sees the rows, not the files.
   */
  async filesHere(draftId: string): Promise<boolean> {
    for (const part of await this.rows.of(draftId)) {
      if (!part.storedPath) continue;
      // Under this counter's own folder, in this draft's: a scan the name would find elsewhere is
      // not this counter's scan of this draft.
      if (!(await this.scanOf(part))?.exists) return false;
    }
    return true;
  }

  /** Keys of the file fields that have at least one part. */
  async presentFields(draftId: string): Promise<Set<string>> {
    return new Set((await this.rows.of(draftId)).filter((a) => a.storedPath).map((a) => a.fieldKey));
  }

  /** sha256 of every part in order: part of the fingerprint a price confirmation is bound to. */
  async fingerprintParts(draftId: string): Promise<string[]> {
    return (await this.rows.of(draftId)).map((a) => `${a.fieldKey}:${a.position}:${a.sha256}`);
  }

  /**
   * Each file field as Visengine wants it: one PDF of all its parts, as `name|data:mime;base64,…`,
   * within the request's size budget.
   */
  async fileStrings(draftId: string, detail: ServiceDetail): Promise<Record<string, string>> {
    const rows = await this.rows.of(draftId);
    const out: Record<string, string> = {};
    const sizes: { fieldKey: string; name: string; bytes: number }[] = [];
    const docs: { key: string; name: string; bytes: Uint8Array }[] = [];
    for (const field of detail.fields.filter((f) => f.tipo === 'file')) {
      const doc = await this.documentOf(rows, field);
      if (!doc) continue;
      sizes.push({ fieldKey: field.key, name: doc.name, bytes: doc.bytes.length });
      docs.push({ key: field.key, ...doc });
    }
    checkRequestBudget(sizes);
    for (const doc of docs)
      out[doc.key] = encodeFileString(doc.name, 'application/pdf', Buffer.from(doc.bytes).toString('base64'));
    return out;
  }

  /**
   * One file field's document as it is sent: its only PDF as it is, or all its parts merged into
   * one PDF. Null when the field has no part.
   */
  async document(
    draftId: string,
    field: ServiceDetail['fields'][number],
  ): Promise<{ name: string; bytes: Uint8Array; pages: number } | null> {
    return this.documentOf(await this.rows.of(draftId), field);
  }

  private async documentOf(
    rows: AttachmentRow[],
    field: ServiceDetail['fields'][number],
  ): Promise<{ name: string; bytes: Uint8Array; pages: number } | null> {
    const parts = rows.filter((r) => r.fieldKey === field.key);
    if (!parts.length) return null;
    const loaded: NormalizedPart[] = [];
    for (const part of parts) {
      if (!part.storedPath)
        throw new AppError('not_found', 'Le scansioni di questa pratica sono già state eliminate');
      const bytes = await readFile((await this.mustScanOf(part)).path);
      loaded.push({
        bytes,
        mime: part.mime as NormalizedPart['mime'],
        kind: part.sourceKind as NormalizedPart['kind'],
        pages: part.pages,
        width: null,
        height: null,
      });
    }
    const single = loaded.length === 1 && loaded[0]!.mime === 'application/pdf';
    const bytes = single ? loaded[0]!.bytes : await mergeToPdf(loaded, { title: field.nome });
    const name = `${documentName(field.nome, parts[0]!.fileName)}.pdf`;
    return { name, bytes, pages: parts.reduce((n, p) => n + p.pages, 0) };
  }

  /**
   * Runs before a request's scans are deleted, while they are still there: the documents on file
   * the client agreed to keep (main/clients/files.ts) are taken from them. It decides by itself
   * whether the request was just accepted; it never throws.
   */
  beforeScansDeleted(hook: (draftId: string) => Promise<void>): void {
    this.keep = hook;
  }

  /** The drafts whose scans are on this PC's disk (a folder each in the drafts folder). */
  async draftsHere(): Promise<string[]> {
    try {
      return (await readdir(this.roots.dir('drafts'), { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /**
   * After acceptance the scans go: personal data is kept no longer than needed. The draft's folder
   * is found by its id as any recorded name is: a request id of the register that is no plain
   * folder name under this counter's drafts folder deletes nothing (and is reported).
   */
  async deleteScans(draftId: string): Promise<void> {
    await this.keep?.(draftId);
    const row: RegisterRow = { table: 'requests', id: draftId, requestId: draftId };
    const folder = await this.roots.locate('drafts', draftId, row, { segments: 1 });
    if (folder?.exists) await rm(folder.path, { recursive: true, force: true });
    await this.rows.forgetFiles(draftId);
  }

  /** Where a part's scan is on this counter: under the drafts folder, in its own draft's folder. */
  private scanOf(part: AttachmentRow): Promise<Located | null> {
    if (!part.storedPath) return Promise.resolve(null);
    return this.roots.locate('drafts', part.storedPath, rowOf(part), { segments: 2, folder: part.requestId });
  }

  private mustScanOf(part: AttachmentRow): Promise<Located> {
    return this.roots.mustLocate('drafts', part.storedPath ?? '', rowOf(part), {
      segments: 2,
      folder: part.requestId,
    });
  }
}

const rowOf = (part: AttachmentRow): RegisterRow => ({
  table: 'attachments',
  id: part.id,
  requestId: part.requestId,
});

async function readSource(source: AttachmentSource): Promise<{ name: string; bytes: Uint8Array }> {
  if ('data' in source) {
    if (source.data.length > MAX_INPUT_BYTES) throw tooLarge(source.name, source.data.length);
    return { name: source.name, bytes: source.data };
  }
  let size: number;
  try {
    const info = await stat(source.path);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch (error) {
    throw new AppError(
      'file_type',
      `Il file «${basename(source.path)}» non si può leggere: è stato spostato o è una cartella?`,
      {
        cause: error,
        details: { name: basename(source.path), kind: null, reason: 'unreadable' },
      },
    );
  }
  if (size > MAX_INPUT_BYTES) throw tooLarge(basename(source.path), size);
  return { name: basename(source.path), bytes: await readFile(source.path) };
}

function tooLarge(name: string, size: number): AppError {
  return new AppError(
    'file_too_large',
    `Il file «${name}» pesa ${(size / 1_048_576).toFixed(1)} MB: il massimo è ${MAX_INPUT_BYTES / 1_048_576} MB`,
    { details: { name, size, limit: MAX_INPUT_BYTES } },
  );
}

/** "COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO" → "documento_identita": the name the CAF sees. */
function documentName(fieldName: string, fallback: string): string {
  const base = fieldName
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\b(copia|fronte|retro|del|della|di|d)\b/g, ' ')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return base || sanitizeFileName(fallback).replace(/\.[^.]+$/, '') || 'documento';
}

const thumbPath = (storedPath: string) => `${storedPath}.thumb`;

function toInfo(row: AttachmentRow, thumbnail: string | null): AttachmentInfo {
  return {
    id: row.id,
    fieldKey: row.fieldKey,
    position: row.position,
    fileName: row.fileName,
    sourceKind: row.sourceKind,
    mime: row.mime,
    size: row.size,
    pages: row.pages,
    sha256: row.sha256,
    thumbnail,
    available: row.storedPath !== null,
  };
}
