import { createHash } from 'node:crypto';
import type { ServiceDetail } from '../../common/catalog.ts';
import type { Environment } from '../../common/environments.ts';
import { checkForm } from '../../common/form.ts';
import type { Quote } from '../../common/requests.ts';
import type { AttachmentStore } from '../attachments/store.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import type { Engine } from '../engine/engine.ts';
import { AlreadyClosedError, NotFoundError, ValidationFailedError } from '../engine/errors.ts';
import type { JsonVisura, RemoteRequest } from '../engine/schemas.ts';
import { AppError, toErrorData } from '../errors.ts';
import type { Logger } from '../ports.ts';
import { samePrice, searchOf, statusOfRemote, totalOf } from './remote-status.ts';
import type { RequestRepository, RequestRow } from './repository.ts';

/*
 * Exactly-once submission (VISENGINE.md, "Submitting exactly once"). Every request is paid, and
 * POST /richiesta is not idempotent, so:
 *   1. the clerk confirms a price that a `test:true` call just returned, for exactly this data;
 *   2. the request is recorded locally ('sending') before anything is sent;
 *   3. POST with state 0 creates an OPEN request, which is never charged; its _id is stored at
 *      once ('open') — from then on this row owns exactly that remote request;
 *   4. PUT state 1 closes (and pays) that one request; repeating the PUT is safe (400/239);
 *   5. if the POST's outcome is unknown (timeout, reset, 5xx), GET /richiesta tells whether our
 *      open request exists — recognised by its content — before anything is sent again. An open
 *      request we could not recognise is harmless: it is never closed, so never paid.
 * A crash at any point leaves a row in 'sending' or 'open' that `resume` completes at start.
 */

/** Clock skew tolerated between this PC and the API when looking for our open request. */
const SKEW_SECONDS = 300;
/** PUT attempts when its outcome is unknown; each is checked with a GET first. */
const CLOSE_ATTEMPTS = 3;

interface Prepared {
  service: ServiceDetail;
  values: Record<string, string>;
  jsonVisura: JsonVisura;
  options: string[];
  fingerprint: string;
}

export interface SubmitterDeps {
  repo: RequestRepository;
  catalog: CatalogService;
  attachments: AttachmentStore;
  engine: (environment: Environment) => Promise<Engine>;
  now: () => number;
  log: Logger;
  operator: () => string;
  /** A request changed: tell the renderer. */
  changed: (id: string) => void;
  /** A request was accepted: the tracker takes over. */
  accepted: (id: string) => void;
}

export class Submitter {
  private readonly d: SubmitterDeps;
  private readonly busy = new Set<string>();

  constructor(deps: SubmitterDeps) {
    this.d = deps;
  }

  /** Validates the draft here and on the API (`test:true`) and prices it; nothing is created or paid. */
  async quote(draftId: string): Promise<Quote> {
    return this.exclusive(draftId, async () => {
      const row = this.row(draftId, ['draft']);
      const prepared = await this.prepare(row);
      const quote = await this.price(row, prepared);
      this.d.repo.update(row.id, { quote, quoteFingerprint: prepared.fingerprint, lastError: null });
      this.d.repo.addEvent(row.id, 'validated', this.d.operator(), { total: quote.total });
      return quote;
    });
  }

  /**
   * Sends the draft, charging `confirmedTotal` (the price the clerk saw) and nothing else. Throws
   * `price_changed` when the data or the price moved since the confirmation.
   */
  async submit(draftId: string, confirmedTotal: number): Promise<RequestRow> {
    return this.exclusive(draftId, async () => {
      const row = this.row(draftId, ['draft', 'sending', 'open']);
      if (row.status !== 'draft') return this.resumeRow(row);
      const prepared = await this.prepare(row);
      if (!row.quote || row.quoteFingerprint !== prepared.fingerprint) {
        throw new AppError(
          'price_changed',
          'I dati sono cambiati dopo il controllo del prezzo: confermate di nuovo',
          {
            details: { reason: 'data_changed' },
          },
        );
      }
      if (!samePrice(row.quote.total, confirmedTotal)) {
        throw new AppError('price_changed', 'Il prezzo confermato non è quello proposto', {
          details: { price: row.quote.total, confirmed: confirmedTotal },
        });
      }
      const fresh = await this.price(row, prepared);
      if (!samePrice(fresh.total, confirmedTotal)) {
        this.d.repo.update(row.id, { quote: fresh });
        throw new AppError('price_changed', `Il prezzo è cambiato: ora è ${fresh.total.toFixed(2)} €`, {
          details: { price: fresh.total, confirmed: confirmedTotal },
        });
      }
      const recorded = this.d.repo.transaction(() => {
        const ok = this.d.repo.transition(row.id, ['draft'], {
          status: 'sending',
          submitIntent: true,
          confirmedPrice: confirmedTotal,
          fields: prepared.values,
          options: prepared.options,
          lastError: null,
        });
        if (ok)
          this.d.repo.addEvent(row.id, 'validated', this.d.operator(), {
            total: confirmedTotal,
            confirmed: true,
          });
        return ok;
      });
      if (!recorded) throw new AppError('not_allowed', 'La pratica è già in invio');
      this.d.changed(row.id);
      return this.send(this.row(row.id, ['sending']), prepared);
    });
  }

  /** Completes a request left 'sending' or 'open' (after a failure, or a crash): the "Riprova" button. */
  async resume(id: string): Promise<RequestRow> {
    return this.exclusive(id, async () => this.resumeRow(this.row(id, ['sending', 'open'])));
  }

  /** At start: every request a crash or an outage left mid-way, with the clerk's intent to send. */
  async resumeAll(): Promise<void> {
    for (const row of this.d.repo.unfinishedSubmissions()) {
      try {
        await this.resume(row.id);
      } catch (error) {
        this.d.log.warn('resume failed', {
          id: row.id,
          code: error instanceof AppError ? error.code : 'internal',
        });
      }
    }
  }

  // -------------------------------------------------------------------------------------------

  private async resumeRow(row: RequestRow): Promise<RequestRow> {
    if (row.status === 'open') {
      const engine = await this.d.engine(row.environment);
      const remote = await engine.getRequest(row.remoteId!);
      if (remote.state === 1) return this.accept(row, remote);
      const service = await this.d.catalog.detail(row.environment, row.serviceHash);
      if (
        row.confirmedPrice !== null &&
        !samePrice(totalOf(remote, service, row.options), row.confirmedPrice)
      ) {
        return this.backToDraft(
          row,
          new AppError('price_changed', 'Il prezzo è cambiato dopo la conferma', {
            details: { price: totalOf(remote, service, row.options), confirmed: row.confirmedPrice },
          }),
        );
      }
      this.d.repo.update(row.id, { submitIntent: true });
      return this.close(row.id, null);
    }
    const prepared = await this.prepare(row);
    const fresh = await this.price(row, prepared);
    if (row.confirmedPrice === null || !samePrice(fresh.total, row.confirmedPrice)) {
      return this.backToDraft(
        row,
        new AppError('price_changed', `Il prezzo è cambiato: ora è ${fresh.total.toFixed(2)} €`, {
          details: { price: fresh.total, confirmed: row.confirmedPrice },
        }),
        { quote: fresh },
      );
    }
    this.d.repo.update(row.id, { submitIntent: true });
    return this.send(row, prepared);
  }

  /** Creates (or recovers, or reuses) the open remote request, stores its id, then closes it. */
  private async send(row: RequestRow, prepared: Prepared): Promise<RequestRow> {
    const engine = await this.d.engine(row.environment);
    let remote: RemoteRequest;
    let update: JsonVisura | null = null;
    try {
      const reusable = row.remoteId ? await this.reusable(engine, row, prepared) : null;
      if (reusable) {
        remote = reusable;
        update = prepared.jsonVisura;
      } else {
        remote = (await this.findOurs(engine, row, prepared)) ?? (await this.post(engine, row, prepared));
      }
    } catch (error) {
      return this.sendingFailed(row, error);
    }

    if (remote.id !== row.remoteId) {
      this.d.repo.transaction(() => {
        this.d.repo.update(row.id, {
          remoteId: remote.id,
          status: 'open',
          remoteState: remote.stato,
          lastError: null,
        });
        this.d.repo.addEvent(row.id, 'submitted', this.d.operator(), {
          remoteId: remote.id,
          ...(row.sendToClient && row.clientEmail ? { emailTarget: true } : {}),
        });
      });
    } else {
      this.d.repo.update(row.id, { status: 'open', lastError: null });
    }
    this.d.changed(row.id);

    const total = totalOf(remote, prepared.service, prepared.options);
    if (row.confirmedPrice !== null && !samePrice(total, row.confirmedPrice)) {
      return this.backToDraft(
        this.row(row.id, ['open']),
        new AppError('price_changed', `Il prezzo è cambiato: ora è ${total.toFixed(2)} €`, {
          details: { price: total, confirmed: row.confirmedPrice },
        }),
      );
    }
    return this.close(row.id, update);
  }

  /**
   * POST state 0. When its outcome is unknown, look for it before trying again; a second POST is
   * safe because an open request that nobody closes is never charged.
   */
  private async post(engine: Engine, row: RequestRow, prepared: Prepared): Promise<RemoteRequest> {
    const body = {
      hash_visura: row.serviceHash,
      json_visura: prepared.jsonVisura,
      state: 0 as const,
      // "Invia i documenti anche al cliente" (issue 14): the outputs also go to the form's email.
      ...(row.sendToClient && row.clientEmail ? { email_target: row.clientEmail } : {}),
      ...(prepared.options.length
        ? { opzioni: Object.fromEntries(prepared.options.map((o) => [o, true])) }
        : {}),
    };
    for (let attempt = 1; ; attempt++) {
      this.d.repo.update(row.id, { attemptStartedAt: this.d.now() });
      try {
        return await engine.createRequest(body);
      } catch (error) {
        if (!isAmbiguous(error)) throw error;
        this.d.log.warn('POST outcome unknown: reconciling', { id: row.id, attempt, code: codeOf(error) });
        let found: RemoteRequest | null;
        try {
          found = await this.findOurs(engine, this.row(row.id, ['sending']), prepared);
        } catch (checkError) {
          // The outcome stays unknown while the list cannot be read: never POST again blind.
          this.d.log.warn('cannot reconcile the uncertain POST now', {
            id: row.id,
            code: codeOf(checkError),
          });
          throw error;
        }
        if (found) return found;
        if (attempt >= 2) throw error;
      }
    }
  }

  /**
   * Our open request on the API, if an earlier POST created it: same service, still open, created
   * since the attempt began, not owned by another row, and carrying our data. Content is the only
   * proof: another PC on the same account may have an open request of the same service.
   */
  private async findOurs(engine: Engine, row: RequestRow, prepared: Prepared): Promise<RemoteRequest | null> {
    if (row.attemptStartedAt === null) return null;
    const since = Math.floor(row.attemptStartedAt / 1000) - SKEW_SECONDS;
    const candidates = (await engine.listRequests())
      .filter(
        (r) =>
          r.hash === row.serviceHash &&
          r.state === 0 &&
          (r.createdAt ?? 0) >= since &&
          this.d.repo.findByRemoteId(row.environment, r.id) === null,
      )
      .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
    for (const candidate of candidates) {
      const full = await engine.getRequest(candidate.id);
      if (carriesOurData(full, prepared.values)) {
        this.d.log.info('recovered the open request of an uncertain POST', { id: row.id, remoteId: full.id });
        return full;
      }
    }
    return null;
  }

  /** An open remote request kept from an earlier attempt, usable if it is still open with our options. */
  private async reusable(engine: Engine, row: RequestRow, prepared: Prepared): Promise<RemoteRequest | null> {
    try {
      const remote = await engine.getRequest(row.remoteId!);
      const sameOptions =
        JSON.stringify(remote.opzioni.map((o) => o.nome).sort()) ===
        JSON.stringify([...prepared.options].sort());
      if (remote.state === 0 && remote.stato !== 'Annullata' && sameOptions) return remote;
      // Closed means paid: this row owns it, and sending another one would charge twice.
      if (remote.state === 1) return remote;
      if (remote.state === 0)
        void engine.cancelRequest(remote.id, 'Sostituita da una nuova richiesta').catch(() => {});
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    this.d.repo.update(row.id, { remoteId: null });
    return null;
  }

  /** PUT state 1 until it is known to have happened; "already closed" is success. */
  private async close(id: string, update: JsonVisura | null): Promise<RequestRow> {
    const row = this.row(id, ['open']);
    const engine = await this.d.engine(row.environment);
    const remoteId = row.remoteId!;
    const body = update ? { json_visura: update, state: 1 as const } : { state: 1 as const };
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= CLOSE_ATTEMPTS; attempt++) {
      try {
        return await this.accept(row, await engine.updateRequest(remoteId, body));
      } catch (error) {
        if (error instanceof AlreadyClosedError) return this.accept(row, await engine.getRequest(remoteId));
        if (!isAmbiguous(error)) {
          // A refusal can come from something in between after the server closed (and charged)
          // the request: look before calling it refused, or a paid request goes back to the draft.
          const remote = await engine.getRequest(remoteId).catch(() => null);
          if (remote?.state === 1) return this.accept(row, remote);
          return this.closingFailed(row, error);
        }
        lastError = error;
        this.d.log.warn('PUT outcome unknown: checking', { id, attempt, code: codeOf(error) });
        try {
          const remote = await engine.getRequest(remoteId);
          if (remote.state === 1) return this.accept(row, remote);
        } catch (checkError) {
          // Cannot read it now; repeating the PUT is still safe (a closed request answers 239).
          lastError = checkError;
        }
      }
    }
    this.d.repo.update(id, { lastError: toErrorData(lastError) });
    this.d.repo.addEvent(id, 'error', this.d.operator(), { phase: 'close', code: codeOf(lastError) });
    this.d.changed(id);
    throw uncertain(lastError);
  }

  /** The request is closed and paid: record it, forget the scans, hand it to the tracker. */
  private async accept(row: RequestRow, remote: RemoteRequest): Promise<RequestRow> {
    const service = this.d.catalog.cachedDetail(row.environment, row.serviceHash)?.detail ?? null;
    const now = this.d.now();
    const status = statusOfRemote(remote);
    this.d.repo.transaction(() => {
      this.d.repo.update(row.id, {
        status,
        submitIntent: false,
        chargedPrice: totalOf(remote, service, row.options),
        remoteState: remote.stato,
        remoteEsito: remote.esito,
        search: searchOf(remote),
        submittedAt: now,
        completedAt: status === 'pending' ? null : now,
        nextPollAt: now,
        pollCount: 0,
        lastError: null,
      });
      this.d.repo.addEvent(row.id, 'accepted', this.d.operator(), {
        remoteId: remote.id,
        stato: remote.stato,
      });
    });
    await this.d.attachments.deleteScans(row.id);
    this.d.repo.addEvent(row.id, 'scans_deleted', this.d.operator());
    this.d.changed(row.id);
    this.d.accepted(row.id);
    return this.row(row.id, ['pending', 'done', 'cancelled']);
  }

  private sendingFailed(row: RequestRow, error: unknown): never {
    if (isAmbiguous(error)) {
      // Unknown outcome and we could not check: stay 'sending'; nothing is sent again until a
      // reconciliation can look at the API.
      this.d.repo.update(row.id, { lastError: toErrorData(error) });
      this.d.repo.addEvent(row.id, 'error', this.d.operator(), {
        phase: 'send',
        code: codeOf(error),
        ambiguous: true,
      });
      this.d.changed(row.id);
      throw uncertain(error);
    }
    this.backToDraft(row, error, { attemptStartedAt: null });
  }

  private closingFailed(row: RequestRow, error: unknown): never {
    if (error instanceof ValidationFailedError) this.backToDraft(row, error);
    if (error instanceof NotFoundError) this.backToDraft(row, error, { remoteId: null });
    // Credit, key, …: the open request stays, unpaid, until the clerk retries.
    this.d.repo.update(row.id, { submitIntent: false, lastError: toErrorData(error) });
    this.d.repo.addEvent(row.id, 'error', this.d.operator(), { phase: 'close', code: codeOf(error) });
    this.d.changed(row.id);
    throw error;
  }

  private backToDraft(row: RequestRow, error: unknown, patch: Partial<RequestRow> = {}): never {
    this.d.repo.transaction(() => {
      this.d.repo.update(row.id, {
        ...patch,
        status: 'draft',
        submitIntent: false,
        lastError: toErrorData(error),
      });
      this.d.repo.addEvent(row.id, 'error', this.d.operator(), { phase: row.status, code: codeOf(error) });
    });
    this.d.changed(row.id);
    throw error;
  }

  private async prepare(row: RequestRow): Promise<Prepared> {
    const service = await this.d.catalog.detail(row.environment, row.serviceHash, { fresh: true });
    const unknownField = Object.keys(row.fields).find(
      (key) => !service.fields.some((f) => f.key === key && f.tipo !== 'file'),
    );
    const unknownOption = row.options.find((o) => !service.opzioni.some((s) => s.nome === o));
    if (unknownField || unknownOption) {
      throw new AppError(
        'service_changed',
        'Il servizio è stato modificato da Openapi: ricontrollate il modulo',
        {
          details: { field: unknownField ?? null, option: unknownOption ?? null },
        },
      );
    }
    const check = checkForm(service, row.fields, this.d.attachments.presentFields(row.id));
    if (Object.keys(check.issues).length || !check.satisfied) {
      throw new AppError('validation_failed', 'Il modulo non è completo o contiene valori non validi', {
        details: { fields: check.issues, missing: check.missing },
      });
    }
    const files = await this.d.attachments.fileStrings(row.id, service);
    const options = [...row.options].sort();
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify({
          hash: row.serviceHash,
          values: Object.entries(check.values).sort(),
          options,
          parts: this.d.attachments.fingerprintParts(row.id),
        }),
      )
      .digest('hex');
    return { service, values: check.values, jsonVisura: { ...check.values, ...files }, options, fingerprint };
  }

  private async price(row: RequestRow, prepared: Prepared): Promise<Quote> {
    const engine = await this.d.engine(row.environment);
    const answer = await engine.checkPrice({
      hash_visura: row.serviceHash,
      json_visura: prepared.jsonVisura,
      ...(prepared.options.length
        ? { opzioni: Object.fromEntries(prepared.options.map((o) => [o, true])) }
        : {}),
    });
    const options = (answer.opzioni.length ? answer.opzioni : prepared.service.opzioni).filter((o) =>
      prepared.options.includes(o.nome),
    );
    const ricerca = prepared.service.ricerca ? answer.prezzoRicerca : 0;
    const total =
      Math.round((answer.prezzoVisura + ricerca + options.reduce((n, o) => n + o.prezzo, 0)) * 100) / 100;
    return { base: answer.prezzoVisura, ricerca, options, total, checkedAt: this.d.now() };
  }

  private row(id: string, statuses: readonly RequestRow['status'][]): RequestRow {
    const row = this.d.repo.get(id);
    if (!row) throw new AppError('request_not_found', `Pratica ${id} non trovata`);
    if (!statuses.includes(row.status)) {
      throw new AppError(
        'not_allowed',
        `Operazione non consentita: la pratica è nello stato «${row.status}»`,
      );
    }
    return row;
  }

  private async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    if (this.busy.has(id)) throw new AppError('not_allowed', 'Operazione già in corso su questa pratica');
    this.busy.add(id);
    try {
      return await fn();
    } finally {
      this.busy.delete(id);
    }
  }
}

/** Unknown outcome: the server may have acted. Errors that are not ours count as unknown too. */
function isAmbiguous(error: unknown): boolean {
  return !(error instanceof AppError) || error.ambiguous;
}

function codeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'internal';
}

function uncertain(error: unknown): AppError {
  const code = error instanceof AppError ? error.code : 'network';
  return new AppError(
    code,
    "Esito dell'invio non ancora certo: la pratica è registrata e verrà verificata con il servizio prima di ogni nuovo tentativo",
    { ambiguous: true, cause: error },
  );
}

/** Does the remote request carry the values we sent? `ricerche[0].json_ricerca` echoes them. */
function carriesOurData(remote: RemoteRequest, values: Record<string, string>): boolean {
  const keys = Object.keys(values);
  if (!keys.length) return false;
  for (const ricerca of remote.ricerche) {
    let echoed: unknown = ricerca.json_ricerca;
    if (typeof echoed === 'string') {
      try {
        echoed = JSON.parse(echoed);
      } catch {
        continue;
      }
    }
    if (!echoed || typeof echoed !== 'object') continue;
    const theirs = echoed as Record<string, unknown>;
    if (keys.every((k) => typeof theirs[k] === 'string' && theirs[k].trim() === values[k])) return true;
  }
  return false;
}
