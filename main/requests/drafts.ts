import { randomUUID } from 'node:crypto';
import type { Environment } from '../../common/environments.ts';
import { clientOf } from '../../common/form.ts';
import type { AttachmentSource, Draft, DraftPatch } from '../../common/requests.ts';
import type { AttachmentStore } from '../attachments/store.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import { AppError } from '../errors.ts';
import type { RemoteLedger } from './ledger.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { RequestRepository, RequestRow } from './repository.ts';
import { toDraft } from './views.ts';

/**
 * Requests the clerk is still filling in. Every keystroke the renderer saves lands here, so a
 * crash or a closed window loses nothing.
 */
export class DraftService {
  private readonly repo: RequestRepository;
  private readonly catalog: CatalogService;
  private readonly attachments: AttachmentStore;
  private readonly environment: () => Environment;
  private readonly operator: () => string;
  private readonly now: () => number;
  private readonly ledger: RemoteLedger;
  private readonly lifecycle: Lifecycle;
  private readonly abandoned: () => void;

  constructor(deps: {
    repo: RequestRepository;
    ledger: RemoteLedger;
    lifecycle: Lifecycle;
    catalog: CatalogService;
    attachments: AttachmentStore;
    environment: () => Environment;
    operator: () => string;
    now: () => number;
    /** An open request of ours was abandoned: close it out (in the background). */
    abandoned: () => void;
  }) {
    this.repo = deps.repo;
    this.ledger = deps.ledger;
    this.lifecycle = deps.lifecycle;
    this.abandoned = deps.abandoned;
    this.catalog = deps.catalog;
    this.attachments = deps.attachments;
    this.environment = deps.environment;
    this.operator = deps.operator;
    this.now = deps.now;
  }

  async create(hash: string): Promise<Draft> {
    const environment = this.environment();
    const service = await this.catalog.detail(environment, hash);
    const now = this.now();
    const row: RequestRow = {
      id: randomUUID(),
      environment,
      remoteId: null,
      serviceHash: hash,
      serviceName: service.nome,
      clientNome: null,
      clientCognome: null,
      clientCf: null,
      clientEmail: null,
      clientPhone: null,
      fields: {},
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
      purgedAt: null,
    };
    this.repo.transaction(() => {
      this.repo.insert(row);
      this.repo.addEvent(row.id, 'created', row.operator, { service: service.nome, environment });
    });
    return toDraft(row, []);
  }

  async get(id: string): Promise<Draft> {
    const row = this.draftRow(id);
    return toDraft(row, await this.attachments.infos(id));
  }

  list(): Draft[] {
    return this.repo.byStatus(['draft']).map((row) => toDraft(row, []));
  }

  /** Saves what the clerk typed: fields merge (an empty value clears), options replace. */
  async update(id: string, patch: DraftPatch): Promise<Draft> {
    const row = this.draftRow(id);
    const fields = { ...row.fields };
    for (const [key, value] of Object.entries(patch.fields ?? {})) {
      if (value === '') delete fields[key];
      else fields[key] = value;
    }
    const service = this.catalog.cachedDetail(row.environment, row.serviceHash)?.detail;
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
    this.repo.update(id, {
      fields,
      ...(options ? { options } : {}),
      ...(client
        ? {
            clientNome: client.nome,
            clientCognome: client.cognome,
            clientCf: client.codiceFiscale?.toUpperCase() ?? null,
            clientEmail: client.email,
            clientPhone: client.phone,
          }
        : {}),
    });
    return this.get(id);
  }

  async addAttachment(id: string, fieldKey: string, source: AttachmentSource, position?: number) {
    const row = this.draftRow(id);
    const service = await this.catalog.detail(row.environment, row.serviceHash);
    const info = await this.attachments.add(id, service, fieldKey, source, position);
    this.repo.update(id, {});
    return info;
  }

  async removeAttachment(id: string, attachmentId: string): Promise<void> {
    this.draftRow(id);
    await this.attachments.remove(id, attachmentId);
    this.repo.update(id, {});
  }

  /**
   * Throws the draft away with its scans. One that already reached the API (sent back after a
   * price change or a refusal) keeps its row, for the trail and Openapi's id, but nothing personal;
   * its open request on the service is left to be closed out (the ledger's sweep deletes it, or
   * Home shows it).
   */
  async discard(id: string): Promise<void> {
    const row = this.draftRow(id);
    if (row.remoteId) {
      await retireSentBackDraft(
        { repo: this.repo, attachments: this.attachments, ledger: this.ledger, lifecycle: this.lifecycle },
        row,
        'discarded',
        this.now(),
      );
      this.abandoned();
      return;
    }
    await this.attachments.deleteScans(id);
    this.repo.addEvent(null, 'deleted', this.operator(), { draft: id, service: row.serviceName });
    this.repo.deleteDraft(id);
  }

  private draftRow(id: string): RequestRow {
    const row = this.repo.get(id);
    if (!row || row.status !== 'draft') throw new AppError('draft_not_found', `Bozza ${id} non trovata`);
    return row;
  }
}

/**
 * A draft that reached the API and was sent back (its remote request never closed by us) leaves
 * the drafts: cancelled, purged of personal data, its scans deleted; its open request on the
 * service is nobody's now — closed out, or shown (closeout.ts), since it may have been charged at
 * creation.
 */
export async function retireSentBackDraft(
  {
    repo,
    attachments,
    ledger,
    lifecycle,
  }: { repo: RequestRepository; attachments: AttachmentStore; ledger: RemoteLedger; lifecycle: Lifecycle },
  row: RequestRow,
  reason: 'discarded' | 'stale',
  now: number,
): Promise<void> {
  await attachments.deleteScans(row.id);
  lifecycle.move(row.id, ['draft'], 'cancelled', {
    patch: { submitIntent: false, completedAt: now },
    event: { kind: 'deleted', data: { draft: row.id, reason } },
    also: () => {
      if (row.remoteId) ledger.setFate(row.environment, row.remoteId, 'abandoned');
      repo.purge(row.id);
    },
  });
  repo.compactAfterPurge();
}
