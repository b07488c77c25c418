import { randomUUID, createHash } from 'node:crypto';
import {
  clientFileKindOf,
  endOfDay,
  KEEP_MONTHS,
  keptUntil,
  type ClientFileKind,
} from '../../common/client-files.ts';
import type { ClientFile, Consent } from '../../common/clients.ts';
import type { AttachmentInfo } from '../../common/requests.ts';
import { MAX_DOCUMENT_BYTES } from '../attachments/limits.ts';
import type { AttachmentStore } from '../attachments/store.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import { AppError, toErrorData } from '../errors.ts';
import { maskCodiceFiscale } from '../log/redact.ts';
import type { Logger } from '../ports.ts';
import type { ClientFileRow as FileRow } from '../store/client-records.ts';
import { CLIENT_TABLES } from '../store/personal-data.ts';
import type { Register } from '../store/port.ts';
import type { DocumentReader } from '../reading/port.ts';
import type { CounterKey } from './counter-key.ts';
import type { Keyring } from './keyring.ts';
import type { LocalFiles } from './local-files.ts';
import { openDocument, sealDocument } from './sealer.ts';

const DAY = 86_400_000;

/** The calendar day of `ms` on this PC, yyyy-mm-dd (as a document's expiry is written). */
function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export interface ClientFilesDeps {
  store: Register;
  attachments: AttachmentStore;
  catalog: CatalogService;
  /** This counter's key pair: published at start, for a colleague to grant it the documents' key. */
  counterKey: CounterKey;
  /** The document keys this counter holds. */
  keyring: Keyring;
  /** The documents it kept on its own disk before they went into the register. */
  local: LocalFiles;
  /** Reads the identity document kept (its MRZ's expiry); none: the consent's expiry alone. */
  reader?: DocumentReader | null | undefined;
  now: () => number;
  operator: () => string;
  log: Logger;
}

/**
 * Documents on file, with the client's consent (GDPR art. 6.1.a, revocable at any time). Without
 * consent nothing changes: the scans go once the request is accepted. With it, at acceptance the
 * identity document and the codice fiscale card — exactly as they were sent — are kept sealed in
 * the register until the document's expiry (asked once, when consent is given) and never longer
 * than KEEP_MONTHS; the next request, at any counter the office's document key was granted to
 * (keyring.ts), takes them with one click. Revoking deletes them at once, for every counter; the
 * daily retention run deletes expired ones and, with a retention period set, older ones.
 */
export class ClientFiles {
  private readonly d: ClientFilesDeps;

  constructor(deps: ClientFilesDeps) {
    this.d = deps;
  }

  /** Whether this computer can keep documents encrypted (an OS keystore is there). */
  canKeep(): Promise<boolean> {
    return this.d.counterKey.available();
  }

  /**
   * At start: its documents of before moved into the register, what is left of them on its disk
   * swept; once the office keeps documents, this counter's public key published (a colleague may
   * then grant it their key). A counter that never keeps any asks nothing of the keystore.
   */
  async start(): Promise<void> {
    if (!(await this.canKeep())) return;
    await this.d.local.moveIn();
    await this.d.local.sweep();
    if ((await this.d.store.keys.keys()).length) await this.d.counterKey.publish();
  }

  /** The client's consent in force, if any. */
  async consentOf(code: string): Promise<Consent | null> {
    const cf = code.trim().toUpperCase();
    const row = await this.d.store.clients.consentOf(cf);
    return row
      ? { grantedAt: row.granted_at, operator: row.granted_by, documentExpiry: row.document_expiry }
      : null;
  }

  /**
   * Records the client's consent (now, by the operator), with the identity document's expiry when
   * the clerk read it. Given again, it only updates the expiry. `requestId`: the request at the
   * counter, for the trail.
   */
  async grant(code: string, documentExpiry: string | null, requestId: string | null): Promise<Consent> {
    const cf = code.trim().toUpperCase();
    if (!(await this.canKeep())) {
      throw new AppError(
        'keystore_unavailable',
        'Il portachiavi del sistema non è disponibile: i documenti non si possono conservare cifrati',
        { details: { reason: 'no_keystore' } },
      );
    }
    if (documentExpiry !== null && endOfDay(documentExpiry) < this.d.now()) {
      throw new AppError('invalid_argument', 'Il documento risulta già scaduto', {
        details: { reason: 'document_expired', field: 'documentExpiry' },
      });
    }
    const current = await this.consentOf(cf);
    await this.d.store.transaction(async () => {
      if (current) {
        await this.d.store.clients.setConsentExpiry(cf, documentExpiry ?? current.documentExpiry);
      } else {
        await this.d.store.clients.grantConsent(cf, this.d.now(), this.d.operator(), documentExpiry);
      }
      await this.d.store.trail.add(requestId, 'consent_granted', this.d.operator(), {
        ...(requestId ? {} : { client: maskCodiceFiscale(cf) }),
        documentExpiry,
      });
    });
    return (await this.consentOf(cf))!;
  }

  /**
   * Revokes the consent and deletes every document kept for the client, at once: they are rows of
   * the register, so they are gone for every counter (a copy of before on a counter's disk goes at
   * that counter's next start or retention run: LocalFiles.sweep).
   */
  async revoke(code: string, requestId: string | null): Promise<number> {
    const cf = code.trim().toUpperCase();
    const files = await this.rows(cf);
    await this.d.store.transaction(async () => {
      await this.d.store.clients.revokeConsent(cf, this.d.now(), this.d.operator());
      await this.d.store.trail.add(requestId, 'consent_revoked', this.d.operator(), {
        ...(requestId ? {} : { client: maskCodiceFiscale(cf) }),
        files: files.length,
      });
    });
    return files.length;
  }

  /** Until when documents kept today for this client would stay; null without consent. */
  async keepUntil(code: string): Promise<number | null> {
    const cf = code.trim().toUpperCase();
    const consent = await this.consentOf(cf);
    return consent ? keptUntil(consent, this.d.now()) : null;
  }

  /** The documents kept for a client, still in time. */
  async files(code: string): Promise<ClientFile[]> {
    return (await this.current(code)).map((r) => ({
      id: r.id,
      kind: r.kind,
      fileName: r.file_name,
      pages: r.pages,
      size: r.size,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    }));
  }

  /** Whether this counter can open every document kept for the client (its key was granted to it). */
  async readable(code: string): Promise<boolean> {
    const rows = await this.current(code);
    if (!rows.length) return true;
    if (!(await this.canKeep())) return false;
    const held = await this.d.keyring.held();
    if (rows.every((r) => r.key_id !== null && held.has(r.key_id))) return true;
    // Its clerk will ask a colleague: this counter must be in their list, under its current name.
    await this.d.counterKey.publish();
    return false;
  }

  /**
   * Before an accepted request's scans are deleted: with the client's consent in force, keeps its
   * identity document and codice fiscale card, as sent, replacing older copies. Never fails the
   * acceptance: a problem is logged and written in the trail, and the scans go as always.
   */
  async keep(requestId: string): Promise<void> {
    const row = await this.d.store.requests.get(requestId);
    // Only a request just accepted (not a discarded draft, not a retention purge).
    if (!row || row.purgedAt !== null || row.submittedAt === null || !row.clientCf) return;
    const consent = await this.consentOf(row.clientCf);
    if (!consent) return;
    try {
      const service = await this.d.catalog.detail(row.environment, row.serviceHash);
      const expiresAt = keptUntil(consent, this.d.now());
      if (expiresAt <= this.d.now()) return;
      const kept: ClientFileKind[] = [];
      let identityExpiry: string | null = null;
      let expired: string | null = null;
      for (const field of service.fields.filter((f) => f.tipo === 'file')) {
        const kind = clientFileKindOf(field.nome);
        if (!kind || kept.includes(kind)) continue;
        const doc = await this.d.attachments.document(requestId, field);
        if (!doc) continue;
        let until = expiresAt;
        if (kind === 'identita') {
          // The card kept may be newer (or older) than the one the consent's expiry was read from:
          // its own MRZ says until when it is a valid document to send again.
          identityExpiry = await this.expiryRead(doc.bytes, requestId);
          if (identityExpiry !== null) until = Math.min(until, endOfDay(identityExpiry));
          if (until <= this.d.now()) {
            // An expired ID is no use to the next request (the service wants a valid one): not kept.
            expired = identityExpiry;
            continue;
          }
        }
        await this.store(row.clientCf, kind, doc, requestId, until);
        kept.push(kind);
      }
      if (kept.length || expired)
        await this.d.store.trail.add(requestId, 'documents_kept', this.d.operator(), {
          kinds: kept,
          expiresAt,
          ...(identityExpiry ? { identityExpiry } : {}),
          ...(expired ? { expiredIdentity: expired } : {}),
        });
    } catch (error) {
      this.d.log.warn('documents on file not kept', {
        id: requestId,
        code: error instanceof AppError ? error.code : 'internal',
      });
      await this.d.store.trail.add(requestId, 'error', this.d.operator(), {
        phase: 'keep_documents',
        code: toErrorData(error).code,
      });
    }
  }

  /** The expiry an identity document's MRZ gives (yyyy-mm-dd); null when none is read. */
  private async expiryRead(bytes: Uint8Array, requestId: string): Promise<string | null> {
    if (!this.d.reader) return null;
    try {
      return (await this.d.reader.read(bytes)).identity?.expiry ?? null;
    } catch (error) {
      // Kept all the same, until the consent's expiry: the clerk gave it for this very document.
      this.d.log.warn('identity document on file not read', {
        id: requestId,
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  }

  /**
   * Puts the client's kept documents into a draft's empty matching fields (one click at the
   * counter). Returns what was added; fields already holding a document are left alone.
   */
  async useOn(draftId: string): Promise<AttachmentInfo[]> {
    const row = await this.d.store.requests.get(draftId);
    if (!row || row.status !== 'draft') throw new AppError('draft_not_found', `Bozza ${draftId} non trovata`);
    const cf = row.clientCf;
    if (!cf)
      throw new AppError('invalid_argument', 'Manca il codice fiscale del cliente', {
        details: { reason: 'no_client' },
      });
    const service = await this.d.catalog.detail(row.environment, row.serviceHash);
    const present = new Set((await this.d.store.attachments.of(draftId)).map((a) => a.fieldKey));
    const files = await this.current(cf);
    // Every document opened before any is added: a counter not granted adds nothing.
    const opened: { field: string; name: string; data: Buffer }[] = [];
    for (const field of service.fields.filter((f) => f.tipo === 'file' && !present.has(f.key))) {
      const kind = clientFileKindOf(field.nome);
      const file = files.find((f) => f.kind === kind);
      if (!file) continue;
      const sealed = await this.d.store.clients.sealedOf(file.id);
      // Deleted meanwhile (revoked, expired at another counter): nothing to add.
      if (!sealed) continue;
      const key = await this.d.keyring.forOpening(sealed.key_id);
      opened.push({
        field: field.key,
        name: file.file_name,
        data: openDocument(key, sealed.key_id, file.id, sealed.sealed),
      });
    }
    const added: AttachmentInfo[] = [];
    for (const file of opened)
      added.push(
        await this.d.attachments.add(draftId, service, file.field, { name: file.name, data: file.data }),
      );
    if (added.length) {
      await this.d.store.requests.update(draftId, {});
      await this.d.store.trail.add(draftId, 'documents_reused', this.d.operator(), {
        kinds: [
          ...new Set(
            added.map((a) => clientFileKindOf(service.fields.find((f) => f.key === a.fieldKey)?.nome ?? '')),
          ),
        ],
      });
    }
    return added;
  }

  /**
   * The retention run: expired documents go, and with a retention period set, documents kept
   * longer than it; revoked consents older than it are forgotten; consents that ended (revoked, past
   * the document's expiry, or older than KEEP_MONTHS with nothing kept) keep no codice fiscale;
   * whatever it removed is compacted away (the register's compactAfterPurge); the copies of before
   * on this counter's disk whose documents are gone go too.
   */
  async purge(retentionDays: number): Promise<number> {
    const now = this.d.now();
    const before = retentionDays > 0 ? now - retentionDays * DAY : -Infinity;
    const due = await this.d.store.clients.filesDue(now, Number.isFinite(before) ? before : -1);
    for (const file of due) {
      await this.d.store.transaction(async () => {
        await this.d.store.clients.deleteFile(file.id);
        await this.d.store.trail.add(file.source_request_id, 'documents_expired', this.d.operator(), {
          kind: file.kind,
        });
      });
    }
    const forgotten = retentionDays > 0 ? await this.d.store.clients.forgetRevokedConsents(before) : 0;
    const limit = new Date(now);
    limit.setMonth(limit.getMonth() - KEEP_MONTHS);
    const masked = await this.d.store.clients.maskEndedConsents(localDay(now), limit.getTime());
    if (due.length || masked || forgotten) {
      const { incomplete } = await this.d.store.compactAfterPurge(CLIENT_TABLES);
      if (incomplete.length)
        this.d.log.warn('documents on file: the office server keeps old WAL segments (README)', {
          incomplete,
        });
    }
    if (await this.canKeep()) await this.d.local.sweep();
    return due.length;
  }

  private async store(
    cf: string,
    kind: ClientFileKind,
    doc: { name: string; bytes: Uint8Array; pages: number },
    requestId: string,
    expiresAt: number,
  ): Promise<void> {
    // As sent: never over the ceiling of one document (the register's column is capped the same).
    if (doc.bytes.length > MAX_DOCUMENT_BYTES)
      throw new AppError('file_too_large', 'Documento troppo grande per essere conservato', {
        details: { limit: MAX_DOCUMENT_BYTES },
      });
    const id = randomUUID();
    const key = await this.d.keyring.forSealing();
    const sealed = sealDocument(key.key, key.id, id, doc.bytes);
    const older = (await this.rows(cf)).filter((r) => r.kind === kind);
    await this.d.store.transaction(async () => {
      for (const old of older) await this.d.store.clients.deleteFile(old.id);
      await this.d.store.clients.insertFile({
        id,
        cf,
        kind,
        file_name: doc.name,
        pages: doc.pages,
        size: doc.bytes.length,
        sha256: createHash('sha256').update(doc.bytes).digest('hex'),
        key_id: key.id,
        sealed,
        source_request_id: requestId,
        created_at: this.d.now(),
        expires_at: expiresAt,
      });
    });
  }

  private rows(cf: string): Promise<FileRow[]> {
    return this.d.store.clients.filesOf(cf);
  }

  /** A client's documents on file still in time. */
  private async current(code: string): Promise<FileRow[]> {
    const cf = code.trim().toUpperCase();
    return (await this.rows(cf)).filter((r) => r.expires_at > this.d.now());
  }
}
