import { CATALOG_LIST, detailFor, type SimServiceEntry } from './catalog.ts';
import { checkRequestData, type CheckFailure, type DataRule } from './checks.ts';
import { buildOutputZip } from './documents.ts';
import { positionAt, type Durations, type Refusal } from './lifecycle.ts';
import type { SpecReading } from './reading.ts';
import type { SimRequest, SimStore } from './store.ts';

/*
 * Visengine's behaviour, endpoint by endpoint, as pure functions of the store and the clock.
 * Status codes, error numbers and messages follow visengine.openapi.json; where the spec is
 * silent the choices are documented in VISENGINE.md or here.
 */

export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Who pays for a Visengine call made with a token from `POST /tokens` (oauth.ts): its limits are
 * checked before a charge, its stats count the charge (the built-in token has neither).
 */
export interface Payer {
  /** Why charging `amount` now would break the token's limits (the refusal's message), or null. */
  refusal(amount: number): string | null;
  paid(amount: number): void;
}

export interface SimContext {
  store: SimStore;
  now: () => number;
  durations: Durations;
  /** Outcomes for the next closed requests, consumed in order (tests and the admin API set them). */
  outcomes: Refusal[];
  owner: string;
  zips: Map<string, Promise<Buffer>>;
  /** How this run reads what the spec leaves open (reading.ts). */
  reading: SpecReading;
  /** Values the service refuses although well formed (checks.ts). */
  dataRules: DataRule[];
  /** A free sandbox: nothing is ever charged, the wallet and the tokens' stats never move. */
  free?: boolean;
  /** Who pays for this call: the token from `POST /tokens` it was made with (null: the built-in one). */
  payer?: Payer | null;
}

const ok = (data: unknown): Answer => ({
  status: 200,
  body: { data, success: true, message: '', error: null },
});
const fail = (status: number, error: number, message: string): Answer => ({
  status,
  body: { data: null, success: false, message, error },
});

const ID = /^[0-9a-f]{24}$/;
/** The Prova convention documented in the README: an email with "+annulla" makes the CAF refuse. */
const REFUSE_MARK = /\+annulla/i;
const REFUSAL: Refusal = {
  codice: 'E-DOC',
  info: 'Pratica respinta dal CAF: documentazione incompleta o codice fiscale non corrispondente',
};

export function listServices(): Answer {
  return ok(CATALOG_LIST);
}

export function getService(hash: string): Answer {
  const entry = detailFor(hash);
  return entry ? ok(entry.detail) : fail(400, 200, 'wrong hash_visura');
}

/** `GET /wallet` of the OAuth API (oauthv2.openapi.json): the account's credit, in euro. */
export function wallet(ctx: SimContext): Answer {
  return ok({ credit: Math.round(ctx.store.wallet * 100) / 100 });
}

export function listRequests(ctx: SimContext): Answer {
  const all = ctx.store.list();
  if (all.length === 0) return fail(404, 203, 'no request related to your account');
  return ok(all.map((r) => toSummary(ctx, r)));
}

export function getRequest(ctx: SimContext, id: string): Answer {
  if (!ID.test(id)) return fail(400, 201, 'Invalid id');
  const request = ctx.store.requests.get(id);
  return request ? ok(toWire(ctx, request)) : fail(404, 202, `no request matches this id: ${id}`);
}

export function createRequest(ctx: SimContext, body: unknown): Answer {
  if (!isObject(body)) return fail(428, 204, 'hash_visura required');
  const hash = body.hash_visura;
  if (typeof hash !== 'string' || !hash) return fail(428, 204, 'hash_visura required');
  const entry = detailFor(hash);
  if (!entry) return fail(400, 205, 'wrong hash_visura');
  const json = readJsonVisura(body.json_visura);
  if (json === null)
    return fail(
      412,
      250,
      'Insufficient data to validate the request: json_visura must be an object of strings',
    );
  const state = body.state ?? 1;
  if (state !== 0 && state !== 1)
    return fail(412, 250, 'Insufficient data to validate the request: state must be 0 or 1');
  const opzioni = readOpzioni(entry, body.opzioni);
  if (typeof opzioni === 'string')
    return fail(412, 250, `Insufficient data to validate the request: ${opzioni}`);
  const emailTarget = typeof body.email_target === 'string' && body.email_target ? body.email_target : null;
  const now = ctx.now();

  if (body.test === true) {
    // Read as PutBody reads an open request (the `testCheck` reading), a check validates nothing.
    const failure =
      ctx.reading.testCheck === 'data'
        ? checkRequestData(entry.detail, json, emailTarget, ctx.dataRules)
        : null;
    if (failure) return validationAnswer(failure, 250);
    return ok(priceCheckAnswer(ctx, newRequest(ctx, entry, json, opzioni, emailTarget, now, '')));
  }

  const paysNow = state === 1 || ctx.reading.charge === 'open';
  if (state === 1) {
    const failure = checkRequestData(entry.detail, json, emailTarget, ctx.dataRules);
    if (failure) return validationAnswer(failure, 250);
  }
  const refused = paysNow ? cannotPay(ctx, amountDue(entry, opzioni), 211) : null;
  if (refused) return refused;
  const request = newRequest(ctx, entry, json, opzioni, emailTarget, now, ctx.store.nextId(now));
  ctx.store.requests.set(request._id, request);
  // Charged at creation (this reading): an open request is already paid, and closing it costs nothing more.
  if (state === 0 && paysNow) pay(ctx, entry, request, now);
  if (state === 1) close(ctx, entry, request, now);
  ctx.store.save();
  return ok(toWire(ctx, request));
}

/** The answer to `test:true`, in the shape this run's reading gives it. */
function priceCheckAnswer(ctx: SimContext, preview: SimRequest): unknown {
  const wire = toWire(ctx, preview);
  switch (ctx.reading.priceCheck) {
    case 'request':
      return { ...wire, _id: null, test: true };
    case 'prices':
      return { prezzo_visura: wire.prezzo_visura, prezzo_ricerca: wire.prezzo_ricerca };
    case 'strings':
      return {
        ...wire,
        _id: null,
        test: '1',
        prezzo_visura: wire.prezzo_visura.toFixed(2).replace('.', ','),
        prezzo_ricerca: wire.prezzo_ricerca.toFixed(2).replace('.', ','),
      };
    case 'empty':
      return null;
  }
}

export function updateRequest(ctx: SimContext, id: string, body: unknown): Answer {
  if (!id) return fail(428, 226, 'id required');
  if (!ID.test(id)) return fail(400, 201, 'Invalid id');
  const request = ctx.store.requests.get(id);
  if (!request) return fail(404, 228, `no requests matches this id: ${id}`);
  if (request.cancelledAt !== null && request.state === 0 && ctx.reading.cancelledPut === 'not-found')
    return fail(404, 228, `no requests matches this id: ${id}`);
  if (request.state === 1 || request.cancelledAt !== null)
    return fail(400, 239, 'the request has already been closed');
  if (!isObject(body)) return fail(412, 229, 'error in the input data: body must be an object');
  const entry = detailFor(request.hash);
  if (!entry) return fail(404, 228, `no requests matches this id: ${id}`);

  const json = { ...request.json };
  if (body.json_visura !== undefined) {
    const replacement = readJsonVisura(body.json_visura);
    if (replacement === null)
      return fail(412, 229, 'error in the input data: json_visura must be an object of strings');
    Object.assign(json, replacement);
  }
  for (const [key, value] of Object.entries(body)) {
    const m = /^json_visura\.(\$\d+)$/.exec(key);
    if (!m?.[1]) continue;
    if (typeof value !== 'string') return fail(412, 229, `error in the input data: ${key} must be a string`);
    json[m[1]] = value;
  }
  const emailTarget = typeof body.email_target === 'string' ? body.email_target || null : request.emailTarget;
  const state = body.state ?? 0;
  if (state !== 0 && state !== 1) return fail(412, 229, 'error in the input data: state must be 0 or 1');
  const now = ctx.now();

  if (state === 1) {
    const failure = checkRequestData(entry.detail, json, emailTarget, ctx.dataRules);
    if (failure) return validationAnswer(failure, 229);
    const refused = request.paidAtOpen ? null : cannotPay(ctx, amountDue(entry, request.opzioni), 211);
    if (refused) return refused;
  }
  request.json = json;
  if (!entry.search) request.ricerche = [echoOf(entry, `${request._id}_0`, json)];
  request.emailTarget = emailTarget;
  request.updatedAt = now;
  if (state === 1) close(ctx, entry, request, now);
  ctx.store.save();
  return ok(toWire(ctx, request));
}

export function addSearch(ctx: SimContext, id: string, body: unknown): Answer {
  if (!ID.test(id)) return fail(400, 219, 'Invalid id');
  const request = ctx.store.requests.get(id);
  if (!request) return fail(404, 228, `no requests matches this id: ${id}`);
  if (request.state === 0) return fail(404, 221, 'the request is in state 0, not yet finalized');
  const entry = detailFor(request.hash);
  if (!entry?.search || !request.ricerca)
    return fail(409, 222, 'this request does not allow the addition of a search');
  if (!isObject(body) || body.json_visura === undefined) return fail(428, 224, 'json_visura required');
  const json = readJsonVisura(body.json_visura);
  if (json === null)
    return fail(
      412,
      250,
      'Insufficient data to validate the request: json_visura must be an object of strings',
    );
  const refused = cannotPay(ctx, request.prezzoRicerca, 225);
  if (refused) return refused;
  const now = ctx.now();
  request.ricerche.push(runSearch(entry, request, json));
  charge(ctx, request, request.prezzoRicerca, 'ricerca', now);
  request.updatedAt = now;
  ctx.store.save();
  return ok(toWire(ctx, request));
}

export function chooseSearchResult(ctx: SimContext, id: string, body: unknown): Answer {
  if (!ID.test(id)) return fail(400, 201, 'Invalid id');
  const request = ctx.store.requests.get(id);
  if (!request) return fail(404, 228, `no requests matches this id: ${id}`);
  const entry = detailFor(request.hash);
  if (!entry?.search || !request.ricerca) {
    return fail(
      409,
      230,
      'the request does not produce results to choose from, it is processed directly with the POST',
    );
  }
  if (!isObject(body)) return fail(428, 233, 'indice not valid or required');
  const indice = body.indice;
  if (typeof indice !== 'number' || !Number.isInteger(indice))
    return fail(428, 233, 'indice not valid or required');
  if (indice < 0) return fail(400, 234, 'indice must be >= 0');
  if (request.chosenAt !== null) return fail(400, 239, 'the request has already been closed');
  const ricerca = request.ricerche.find((r) => r.id_ricerca === body.id_ricerca);
  if (!ricerca) return fail(428, 233, 'id_ricerca not valid or required');
  const results = ricerca.json_risultato
    ? (JSON.parse(ricerca.json_risultato) as Record<string, unknown>)
    : {};
  if (!(`indice_${indice}` in results)) return fail(428, 233, 'indice not valid or required');
  const due = request.prezzoVisura + optionsTotal(entry, request.opzioni);
  const refused = cannotPay(ctx, due, 237);
  if (refused) return refused;
  const now = ctx.now();
  request.idRicerca = ricerca.id_ricerca;
  request.indiceRicerca = indice;
  request.chosenAt = now;
  request.updatedAt = now;
  charge(ctx, request, due, 'visura', now);
  ctx.store.save();
  return ok(toWire(ctx, request));
}

export async function getDocument(ctx: SimContext, id: string): Promise<Answer> {
  if (!id) return fail(428, 242, 'id required');
  if (!ID.test(id)) return fail(400, 243, 'Invalid id');
  const request = ctx.store.requests.get(id);
  if (!request) return fail(404, 244, `no requests matches this id: ${id}`);
  const position = positionAt(request, ctx.durations, ctx.now(), ctx.reading.openPhase);
  const outputs = readyOutputs(ctx, request, position);
  if (!outputs.length) return fail(422, 247, 'document not yet available');
  const key = `${id}:${outputs.length}`;
  let zip = ctx.zips.get(key);
  if (!zip) {
    zip = buildOutputZip(outputs, {
      requestId: id,
      serviceName: request.nome,
      subject: subjectOf(request),
      issuedAt: new Date(position.lastChange),
    });
    ctx.zips.set(key, zip);
  }
  const bytes = await zip;
  const file = bytes.toString('base64');
  const dimensione = { bytes: bytes.length, base64: file.length, absent: undefined }[ctx.reading.dimensione];
  return ok({ nome: `${id}.zip`, ...(dimensione === undefined ? {} : { dimensione }), file });
}

export function cancelRequest(ctx: SimContext, id: string, body: unknown): Answer {
  if (!ID.test(id)) return fail(400, 201, 'Invalid id');
  const request = ctx.store.requests.get(id);
  if (!request) return fail(404, 228, `no requests matches this id: ${id}`);
  const now = ctx.now();
  const position = positionAt(request, ctx.durations, now, ctx.reading.openPhase);
  if (position.outputsReady || position.stato === 'Annullata') {
    return fail(409, 240, 'the request can no longer be cancelled');
  }
  request.cancelledAt = now;
  request.updatedAt = now;
  // The motive the PHP SDK sends: the cancelled request carries it back (motivo_annullamento).
  const motivo = isObject(body) && typeof body.motivo === 'string' ? body.motivo.trim().slice(0, 500) : '';
  request.cancelReason = motivo || null;
  ctx.store.save();
  return ok(toWire(ctx, request));
}

// ---------------------------------------------------------------------------------------------

function newRequest(
  ctx: SimContext,
  entry: SimServiceEntry,
  json: Record<string, string>,
  opzioni: string[],
  emailTarget: string | null,
  now: number,
  id: string,
): SimRequest {
  return {
    _id: id,
    hash: entry.detail.hash_visura,
    nome: entry.detail.nome_visura,
    state: 0,
    json,
    opzioni,
    emailTarget,
    ricerca: entry.detail.ricerca,
    prezzoVisura: entry.detail.prezzo_visura,
    prezzoRicerca: entry.detail.prezzo_ricerca,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    chosenAt: null,
    cancelledAt: null,
    // As in the spec's examples, the submitted fields are echoed in ricerche[0] (files by name only).
    ricerche: entry.search ? [] : [echoOf(entry, `${id}_0`, json)],
    idRicerca: null,
    indiceRicerca: null,
    refusal: null,
    charged: 0,
    paidAtOpen: false,
  };
}

/** Closing validates nothing more: the caller did. It charges, and starts the work. */
function close(ctx: SimContext, entry: SimServiceEntry, request: SimRequest, now: number): void {
  request.state = 1;
  request.closedAt = now;
  request.updatedAt = now;
  const forced = ctx.outcomes.shift();
  if (forced) request.refusal = forced.codice === '0' ? null : forced;
  else if (request.emailTarget && REFUSE_MARK.test(request.emailTarget)) request.refusal = REFUSAL;
  else if (Object.values(request.json).some((v) => REFUSE_MARK.test(v))) request.refusal = REFUSAL;
  if (request.ricerca && entry.search) request.ricerche.push(runSearch(entry, request, request.json));
  if (!request.paidAtOpen) pay(ctx, entry, request, now);
  // Scans are personal data: once validated, the simulator keeps only their names and sizes.
  for (const [key, value] of Object.entries(request.json)) {
    const bar = value.indexOf('|data:');
    if (bar > 0) request.json[key] = `${value.slice(0, bar)}|${value.length - bar} byte`;
  }
}

function echoOf(entry: SimServiceEntry, idRicerca: string, json: Record<string, string>) {
  const shown: Record<string, string> = {};
  for (const [key, value] of Object.entries(json)) {
    const bar = value.indexOf('|data:');
    shown[key] = bar > 0 ? value.slice(0, bar) : value;
  }
  const mapped: Record<string, string> = {};
  for (const [key, campo] of Object.entries(entry.detail.json_struttura.campi))
    mapped[campo.nome] = shown[key] ?? '';
  return {
    id_ricerca: idRicerca,
    stato_ricerca: 'Ricerca evasa',
    json_ricerca: JSON.stringify(shown),
    json_mappato: mapped,
    json_risultato: null,
  };
}

/** Takes what the request costs when it starts (a search, or the service with its options). */
function pay(ctx: SimContext, entry: SimServiceEntry, request: SimRequest, now: number): void {
  const what = request.ricerca && entry.search ? 'ricerca' : 'visura';
  charge(ctx, request, amountDue(entry, request.opzioni), what, now);
  request.paidAtOpen = request.state === 0;
}

function amountDue(entry: SimServiceEntry, opzioni: string[]): number {
  if (entry.detail.ricerca && entry.search) return entry.detail.prezzo_ricerca;
  return entry.detail.prezzo_visura + optionsTotal(entry, opzioni);
}

function optionsTotal(entry: SimServiceEntry, opzioni: string[]): number {
  let total = 0;
  for (const name of opzioni) total += entry.detail.opzioni?.find((o) => o.nome === name)?.prezzo ?? 0;
  return total;
}

function runSearch(entry: SimServiceEntry, request: SimRequest, json: Record<string, string>) {
  const results = entry.search ? entry.search.find(json) : [];
  const indexed: Record<string, unknown> = {};
  results.forEach((r, i) => (indexed[`indice_${i}`] = r));
  const mapped: Record<string, string> = {};
  for (const [key, campo] of Object.entries(entry.detail.json_struttura.campi))
    mapped[campo.nome] = json[key] ?? '';
  return {
    id_ricerca: `${request._id}_${request.ricerche.length}`,
    stato_ricerca: results.length ? 'Ricerca evasa' : 'Nessun risultato',
    json_ricerca: JSON.stringify(json),
    json_mappato: mapped,
    json_risultato: JSON.stringify(indexed),
  };
}

/**
 * Why `amount` cannot be charged now: the token's limit (refused by the gateway before the service
 * sees the call, so nothing is created: 403 naming the limit, an answer the spec does not give), or
 * the wallet's credit (402 with the service's code); null when it can.
 */
function cannotPay(ctx: SimContext, amount: number, code: number): Answer | null {
  if (ctx.free) return null;
  const limit = ctx.payer?.refusal(amount);
  if (limit) return fail(403, 403, limit);
  return ctx.store.wallet < amount ? insufficient(ctx, code) : null;
}

/** Takes `amount` from the wallet for the request, counted in the stats of the token that paid. */
function charge(
  ctx: SimContext,
  request: SimRequest,
  amount: number,
  what: 'visura' | 'ricerca',
  now: number,
) {
  if (ctx.free) return;
  ctx.store.charge(request, amount, what, now);
  ctx.payer?.paid(amount);
}

function insufficient(ctx: SimContext, code: number): Answer {
  return fail(402, code, `Insufficient Credit in Wallet: ${ctx.store.wallet.toFixed(2)}`);
}

function validationAnswer(failure: CheckFailure, code: 250 | 229): Answer {
  switch (failure.kind) {
    case 'email':
      return fail(400, 209, 'email is considered invalid!');
    case 'insufficient':
      return fail(
        412,
        code,
        `${code === 250 ? 'Insufficient data to validate the request' : 'error in the input data'}: ${failure.missing.join(', ')}`,
      );
    case 'invalid':
      // Per-field errors arrive as a JSON string in `message`, as the real API sometimes does.
      return fail(412, code, JSON.stringify(failure.fields));
  }
}

function readJsonVisura(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) return null;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number') out[key] = String(v);
    else return null;
  }
  return out;
}

function readOpzioni(entry: SimServiceEntry, value: unknown): string[] | string {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) return 'opzioni must be an object';
  const known = new Set((entry.detail.opzioni ?? []).map((o) => o.nome));
  const chosen: string[] = [];
  for (const [name, on] of Object.entries(value)) {
    if (!known.has(name)) return `unknown option ${name}`;
    if (on === true) chosen.push(name);
  }
  return chosen.sort();
}

function outputsOf(request: SimRequest) {
  const entry = detailFor(request.hash);
  const outputs = entry?.outputs ?? [];
  return outputs.length ? outputs : [{ name: `${request._id}.pdf`, title: request.nome }];
}

/** The outputs available now: all once "Visura evasa"; with staged outputs, the first at "Dati disponibili". */
function readyOutputs(ctx: SimContext, request: SimRequest, position: ReturnType<typeof positionAt>) {
  const all = outputsOf(request);
  if (position.outputsReady) return all;
  if (ctx.reading.outputs === 'staged' && position.stato === 'Dati disponibili') return all.slice(0, 1);
  return [];
}

function subjectOf(request: SimRequest): string {
  const entry = detailFor(request.hash);
  const campi = entry?.detail.json_struttura.campi ?? {};
  const pick = (pattern: RegExp) => {
    const key = Object.keys(campi).find((k) => pattern.test(campi[k]?.nome ?? ''));
    return key ? (request.json[key] ?? '').trim() : '';
  };
  return [pick(/^nome$/i), pick(/^cognome$/i)].filter(Boolean).join(' ') || pick(/denominazione/i);
}

function toSummary(ctx: SimContext, r: SimRequest) {
  const wire = toWire(ctx, r);
  return {
    _id: wire._id,
    ...('state' in wire ? { state: wire.state } : {}),
    hash_visura: wire.hash_visura,
    nome: wire.nome,
    ricerca: wire.ricerca,
    id_ricerca: wire.id_ricerca,
    prezzo_visura: wire.prezzo_visura,
    prezzo_ricerca: wire.prezzo_ricerca,
    indice_ricerca: wire.indice_ricerca,
    stato_richiesta: wire.stato_richiesta,
    email_target: wire.email_target,
    timestamp_creation: wire.timestamp_creation,
    timestamp_last_update: wire.timestamp_last_update,
    owner: wire.owner,
    sincrona: wire.sincrona,
  };
}

function toWire(ctx: SimContext, r: SimRequest) {
  const position = positionAt(r, ctx.durations, ctx.now(), ctx.reading.openPhase);
  const entry = detailFor(r.hash);
  const chosen = r.opzioni
    .map((name) => entry?.detail.opzioni?.find((o) => o.nome === name))
    .filter((o) => o !== undefined);
  const { reading } = ctx;
  const opzioni = { chosen, null: [], all: entry?.detail.opzioni ?? [] }[reading.opzioni];
  return {
    _id: r._id,
    ...(reading.state === 'present' ? { state: r.state } : {}),
    hash_visura: r.hash,
    nome: r.nome,
    callback: '',
    ricerca: r.ricerca,
    id_ricerca: r.idRicerca,
    prezzo_visura: r.prezzoVisura,
    prezzo_ricerca: r.prezzoRicerca,
    indice_ricerca: r.indiceRicerca,
    stato_richiesta: position.stato,
    email_target: r.emailTarget,
    allegati: readyOutputs(ctx, r, position).map((o) => o.name),
    timestamp_creation: Math.floor(r.createdAt / 1000),
    timestamp_last_update: Math.floor(Math.max(r.updatedAt, position.lastChange) / 1000),
    timestamp_stati: position.timestampStati,
    callback_data: false,
    opzioni: opzioni.length ? opzioni : null,
    owner: ctx.owner,
    sincrona: false,
    // Without an echo (the Patronato answers of the seeds) only a search service's results show.
    ricerche: reading.echo === 'none' && !entry?.search ? [] : r.ricerche,
    esito: position.esito,
    // Not in the spec: why a request was cancelled — the motive of its DELETE, or the CAF's refusal.
    ...(position.stato === 'Annullata'
      ? { motivo_annullamento: r.cancelledAt !== null ? (r.cancelReason ?? '') : (r.refusal?.info ?? '') }
      : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
