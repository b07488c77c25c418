import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Environment } from '../../common/environments.ts';
import { clientOf, valuesForClient } from '../../common/form.ts';
import {
  unread,
  type AttachmentReading,
  type DocumentReading,
  type MandatoOwner,
} from '../../common/reading.ts';
import { normalizeCodiceFiscale } from '../../common/validators/codiceFiscale.ts';
import type { AttachmentSource, Draft, DraftPatch, Placement } from '../../common/requests.ts';
import { planPlacement, type FileFacts } from '../attachments/placement.ts';
import type { NormalizedPart } from '../attachments/part.ts';
import type { AttachmentStore } from '../attachments/store.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import { AppError, toErrorData, withDetails } from '../errors.ts';
import { REQUEST_TABLES } from '../store/personal-data.ts';
import { clientKey } from '../reading/mandato-code.ts';
import type { DocumentReader } from '../reading/port.ts';
import type { LedgerPort } from '../store/port.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { RequestRow } from '../store/request-row.ts';
import type { Register } from '../store/port.ts';
import { toDraft } from './views.ts';

/**
 * Requests the clerk is still filling in. Every keystroke the renderer saves lands here, so a
 * crash or a closed window loses nothing.
 */
export class DraftService {
  private readonly store: Register;
  private readonly catalog: CatalogService;
  private readonly attachments: AttachmentStore;
  private readonly environment: () => Environment;
  private readonly operator: () => string;
  private readonly counter: () => string;
  private readonly now: () => number;
  private readonly ledger: LedgerPort;
  private readonly lifecycle: Lifecycle;
  private readonly abandoned: () => void;
  private readonly reader: DocumentReader | null;

  constructor(deps: {
    store: Register;
    ledger: LedgerPort;
    lifecycle: Lifecycle;
    catalog: CatalogService;
    attachments: AttachmentStore;
    environment: () => Environment;
    operator: () => string;
    /** This counter's name: where a request was created. */
    counter: () => string;
    now: () => number;
    /** An open request of ours was abandoned: close it out (in the background). */
    abandoned: () => void;
    /** What a file's pages say (main/reading/): where a drop goes, what fills the form. None: names only. */
    reader?: DocumentReader | null;
  }) {
    this.reader = deps.reader ?? null;
    this.store = deps.store;
    this.ledger = deps.ledger;
    this.lifecycle = deps.lifecycle;
    this.abandoned = deps.abandoned;
    this.catalog = deps.catalog;
    this.attachments = deps.attachments;
    this.environment = deps.environment;
    this.operator = deps.operator;
    this.counter = deps.counter;
    this.now = deps.now;
  }

  /**
   * A new draft of the service; for a known client (`clientCf`), the name, surname, codice fiscale,
   * phone and email of their last request are copied in, and remembered as copied.
   */
  async create(hash: string, options: { clientCf?: string | undefined } = {}): Promise<Draft> {
    const environment = this.environment();
    const service = await this.catalog.detail(environment, hash);
    const now = this.now();
    const last = options.clientCf
      ? await this.store.requests.lastByClient(normalizeCodiceFiscale(options.clientCf))
      : null;
    if (options.clientCf && !last) {
      throw new AppError('not_found', 'Nessuna pratica precedente per questo codice fiscale', {
        details: { reason: 'unknown_client' },
      });
    }
    const prefilled = last
      ? valuesForClient(service.fields, {
          nome: last.clientNome,
          cognome: last.clientCognome,
          codiceFiscale: last.clientCf,
          email: last.clientEmail,
          phone: last.clientPhone,
        })
      : {};
    const who = clientOf(service.fields, prefilled);
    const row: RequestRow = {
      id: randomUUID(),
      environment,
      remoteId: null,
      serviceHash: hash,
      serviceName: service.nome,
      clientNome: who.nome,
      clientCognome: who.cognome,
      clientCf: who.codiceFiscale ? normalizeCodiceFiscale(who.codiceFiscale) : null,
      clientEmail: who.email,
      clientPhone: who.phone,
      fields: { ...prefilled },
      options: [],
      quote: null,
      quoteFingerprint: null,
      confirmedPrice: null,
      chargedPrice: null,
      status: 'draft',
      submitIntent: false,
      attemptStartedAt: null,
      attemptEndedAt: null,
      candidates: null,
      allegati: null,
      remoteState: null,
      remoteEsito: null,
      search: null,
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
      completedAt: null,
      nextPollAt: null,
      pollCount: 0,
      documentsState: 'none',
      archiveFolder: null,
      lastError: null,
      operator: this.operator(),
      counter: this.counter(),
      claimOwner: null,
      claimUntil: null,
      purgedAt: null,
      sendToClient: false,
      prefilled: last ? prefilled : null,
      number: null,
      clientPrice: null,
    };
    await this.store.transaction(async () => {
      await this.store.requests.insert(row);
      await this.store.trail.add(row.id, 'created', row.operator, {
        service: service.nome,
        environment,
        // Where the copied data came from: the trail says which request, never the data itself.
        ...(last ? { prefilledFrom: last.id } : {}),
      });
    });
    return toDraft(row, []);
  }

  async get(id: string): Promise<Draft> {
    const row = await this.draftRow(id);
    return toDraft(row, await this.attachments.infos(id));
  }

  async list(): Promise<Draft[]> {
    return (await this.store.requests.byStatus(['draft'])).map((row) => toDraft(row, []));
  }

  /** Saves what the clerk typed: fields merge (an empty value clears), options replace. */
  async update(id: string, patch: DraftPatch): Promise<Draft> {
    const row = await this.draftRow(id);
    const fields = { ...row.fields };
    for (const [key, value] of Object.entries(patch.fields ?? {})) {
      if (value === '') delete fields[key];
      else fields[key] = value;
    }
    const service = (await this.catalog.cachedDetail(row.environment, row.serviceHash))?.detail;
    if (service) {
      const known = new Set(service.fields.filter((f) => f.tipo !== 'file').map((f) => f.key));
      for (const key of Object.keys(fields)) {
        if (!known.has(key)) throw new AppError('invalid_argument', `Il servizio non ha il campo ${key}`);
      }
      const knownOptions = new Set(service.opzioni.map((o) => o.nome));
      for (const option of patch.options ?? []) {
        if (!knownOptions.has(option))
          throw new AppError('invalid_argument', `Opzione sconosciuta: ${option}`);
      }
    }
    const options = patch.options ? [...new Set(patch.options)].sort() : null;
    if (options && row.remoteId && JSON.stringify(options) !== JSON.stringify(row.options)) {
      // The open request on the service keeps the options it was created with (PUT cannot change
      // them), and it may already be paid: changing them would take a second request.
      throw new AppError(
        'not_allowed',
        'Le opzioni non si possono cambiare: la richiesta è già aperta su Openapi con quelle scelte. Per cambiarle eliminate la bozza e ricominciate',
      );
    }
    const client = service ? clientOf(service.fields, fields) : null;
    await this.store.requests.update(id, {
      fields,
      ...(options ? { options } : {}),
      ...(patch.sendToClient === undefined ? {} : { sendToClient: patch.sendToClient }),
      ...(client
        ? {
            clientNome: client.nome,
            clientCognome: client.cognome,
            // As people write it ("rss mra 85t10 a562s") or as the form keeps it: the code itself,
            // which the duplicate guard and the client's page look up.
            clientCf: client.codiceFiscale ? normalizeCodiceFiscale(client.codiceFiscale) : null,
            clientEmail: client.email,
            clientPhone: client.phone,
          }
        : {}),
    });
    return this.get(id);
  }

  async addAttachment(id: string, fieldKey: string, source: AttachmentSource, position?: number) {
    const row = await this.draftRow(id);
    const service = await this.catalog.detail(row.environment, row.serviceHash);
    let info;
    try {
      info = await this.attachments.add(id, service, fieldKey, source, position);
    } catch (error) {
      throw withDetails(error, { field: fieldKey });
    }
    await this.store.requests.update(id, {});
    return info;
  }

  /**
   * One drop of several files: each is checked and read (what its pages say: main/reading/), then
   * placed in the file field it is, or that its name or pages suggest (attachments/placement.ts),
   * the rest in form order starting from `hint`, the field dropped on. A file that cannot be taken
   * is reported with its reason; the others are kept.
   */
  async placeAll(id: string, sources: AttachmentSource[], hint?: string): Promise<Placement> {
    const row = await this.draftRow(id);
    const service = await this.catalog.detail(row.environment, row.serviceHash);
    const fields = service.fields.filter((f) => f.tipo === 'file');
    const read: { name: string; part: NormalizedPart }[] = [];
    const failed: Placement['failed'] = [];
    for (const source of sources) {
      try {
        read.push(await this.attachments.normalize(source));
      } catch (error) {
        const fileName = 'path' in source ? basename(source.path) : source.name;
        failed.push({ fileName, error: toErrorData(error) });
      }
    }
    const facts: FileFacts[] = [];
    for (const { name, part } of read) {
      const reading = await this.readOrNothing(part.bytes);
      facts.push({
        name,
        pages: part.pages,
        image: part.mime === 'image/jpeg',
        reading,
        mandatoOf: mandatoOwner(reading, row),
      });
    }
    const filled = new Map<string, number>();
    for (const a of await this.store.attachments.of(id))
      filled.set(a.fieldKey, (filled.get(a.fieldKey) ?? 0) + 1);
    const plan = planPlacement(facts, fields, filled, hint).sort((a, b) => a.position - b.position);
    const placed: Placement['placed'] = [];
    for (const step of plan) {
      const { name, part } = read[step.file]!;
      try {
        const info = await this.attachments.store(id, step.fieldKey, name, part, step.position);
        placed.push({
          attachmentId: info.id,
          fileName: info.fileName,
          fieldKey: step.fieldKey,
          position: info.position,
          sourceKind: info.sourceKind,
          reason: step.reason,
          confidence: step.confidence,
          note: step.note,
        });
      } catch (error) {
        failed.push({ fileName: name, error: toErrorData(withDetails(error, { field: step.fieldKey })) });
      }
    }
    await this.store.requests.update(id, {});
    return { placed, failed };
  }

  /**
   * What a part of a draft says (the same reading its drop made, kept by the reader): the form
   * fills itself from a card's MRZ and barcode, and a mandato says whose it is.
   */
  async readAttachment(id: string, attachmentId: string): Promise<AttachmentReading> {
    const row = await this.draftRow(id);
    const { data } = await this.attachments.preview(id, attachmentId);
    const reading = await this.readOrNothing(data);
    return { ...reading, mandatoOf: mandatoOwner(reading, row) };
  }

  /** A file the reader cannot read (or no reader) is placed by its name: the reader logs why. */
  private async readOrNothing(bytes: Uint8Array): Promise<DocumentReading> {
    if (!this.reader) return unread;
    return this.reader.read(bytes).catch(() => unread);
  }

  /** Moves a part to another file field; swaps the two when that empties its own (see store.move). */
  async moveAttachment(id: string, attachmentId: string, fieldKey: string): Promise<void> {
    const row = await this.draftRow(id);
    const service = await this.catalog.detail(row.environment, row.serviceHash);
    const field = service.fields.find((f) => f.key === fieldKey);
    if (!field || field.tipo !== 'file') {
      throw new AppError('invalid_argument', `Il campo ${fieldKey} non accetta file`);
    }
    await this.attachments.move(id, attachmentId, fieldKey);
    await this.store.requests.update(id, {});
  }

  async removeAttachment(id: string, attachmentId: string): Promise<void> {
    await this.draftRow(id);
    await this.attachments.remove(id, attachmentId);
    await this.store.requests.update(id, {});
  }

  /**
   * Throws the draft away with its scans. One that already reached the API (sent back after a
   * price change or a refusal) keeps its row, for the trail and Openapi's id, but nothing personal;
   * its open request on the service is left to be closed out (the ledger's sweep deletes it, or
   * Home shows it).
   */
  async discard(id: string): Promise<void> {
    const row = await this.draftRow(id);
    if (row.remoteId) {
      await retireSentBackDraft(
        { store: this.store, attachments: this.attachments, ledger: this.ledger, lifecycle: this.lifecycle },
        row,
        'discarded',
        this.now(),
      );
      await this.store.compactAfterPurge(REQUEST_TABLES);
      this.abandoned();
      return;
    }
    await this.attachments.deleteScans(id);
    await this.store.trail.add(null, 'deleted', this.operator(), { draft: id, service: row.serviceName });
    await this.store.deleteDraft(id);
  }

  private async draftRow(id: string): Promise<RequestRow> {
    const row = await this.store.requests.get(id);
    if (!row || row.status !== 'draft') throw new AppError('draft_not_found', `Bozza ${id} non trovata`);
    return row;
  }
}

/** Whose the app's mandato read on a file is, against the draft: compared by draft, then by client key. */
function mandatoOwner(reading: DocumentReading, row: RequestRow): MandatoOwner | null {
  const code = reading.mandato;
  if (!code) return null;
  if (code.draftId === row.id) return 'this_request';
  if (!row.clientCf) return 'other_request';
  return code.clientKey === clientKey(row.clientCf) ? 'same_client' : 'other_client';
}

/**
 * A draft that reached the API and was sent back (its remote request never closed by us) leaves
 * the drafts: cancelled, purged of personal data, its scans deleted; its open request on the
 * service is nobody's now — closed out, or shown (closeout.ts), since it may have been charged at
 * creation. The caller compacts the register after it (once, after several).
 */
export async function retireSentBackDraft(
  {
    store,
    attachments,
    ledger,
    lifecycle,
  }: { store: Register; attachments: AttachmentStore; ledger: LedgerPort; lifecycle: Lifecycle },
  row: RequestRow,
  reason: 'discarded' | 'stale',
  now: number,
): Promise<void> {
  await attachments.deleteScans(row.id);
  await lifecycle.move(row.id, ['draft'], 'cancelled', {
    patch: { submitIntent: false, completedAt: now },
    event: { kind: 'deleted', data: { draft: row.id, reason } },
    also: async () => {
      if (row.remoteId) await ledger.setFate(row.environment, row.remoteId, 'abandoned');
      await store.purge(row.id);
    },
  });
}
