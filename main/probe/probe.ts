import { samePrice, withIva } from '../../common/money.ts';
import {
  UNKNOWN_PROFILE,
  type ProbeReport,
  type ProbeStep,
  type ServiceProfile,
} from '../../common/probe.ts';
import type { Environment } from '../../common/environments.ts';
import type { ServiceDetail } from '../../common/catalog.ts';
import type { Engine, RemoteRequest, Submission } from '../engine/engine.ts';
import { AlreadyClosedError, EngineError, NotFoundError, ValidationFailedError } from '../engine/errors.ts';
import type { OAuthAccess, OAuthClient, WalletTransaction } from '../engine/oauth.ts';
import { AppError } from '../errors.ts';
import { echoOf } from '../requests/reconcile.ts';
import { fateOf, stateNameOf, statusOfRemote } from '../requests/remote-status.ts';

/*
 * `npm run probe -- --env sandbox` (and Impostazioni → "Verifica il servizio"): a scripted first
 * contact with a real Visengine — the office's Sandbox, with its sandbox credit — that answers the
 * questions the spec leaves open (VISENGINE.md) by asking the service itself: catalog, both seed
 * services' details, a `test:true` quote, one open request then its close, the list, tracking, the
 * document, the wallet and its transactions, and what a PUT on a cancelled open request answers.
 * It creates two requests (one closed, one cancelled): meant for Sandbox, never for Produzione.
 */

/** The seed services, found by name in the catalog (hashes are discovered, never hard-coded). */
const CONGEDO = /congedo\s+parentale/i;
const RISCATTO = /riscatto.*militare|militare.*riscatto|servizio\s+militare/i;

/** A small real PDF, as a file string: the probe's identity document and CF card. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
).toString('base64');

/** The engine the probe spends with: its own token, capped at what the probe plans to spend. */
export interface CappedEngine {
  engine: Engine;
  /** What the token spent so far (`GET /tokens/{token}` stats.walletAmount), euro; null: unsaid. */
  spent: () => Promise<number | null>;
}

export interface ProbeDeps {
  environment: Environment;
  /** For the catalog; and for everything when there is no `capped` (a ready token only). */
  engine: Engine;
  /**
   * A token for the calls that may charge (the quote on), made once the planned cost is known, with
   * `limits.walletAmount` equal to it; null or absent with a ready token only (nothing to make one with).
   */
  capped?: ((plannedCost: number) => Promise<CappedEngine>) | null;
  /** The OAuth API (wallet, transactions); null when only a token is known. */
  oauth: { client: OAuthClient; access: OAuthAccess } | null;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Each step as it ends (the CLI prints it, the app pushes it to Impostazioni). */
  progress?: (step: ProbeStep) => void;
  /** How long to follow the closed request towards its outputs (default 5 minutes). */
  waitMs?: number;
  pollMs?: number;
}

export async function runProbe(d: ProbeDeps): Promise<ProbeReport> {
  const startedAt = d.now();
  const steps: ProbeStep[] = [];
  const profile: ServiceProfile = { ...UNKNOWN_PROFILE };
  const created: string[] = [];
  let price: number | null = null;
  const note = (step: string, ok: boolean, detail: string) => {
    const entry = { step, ok, detail };
    steps.push(entry);
    d.progress?.(entry);
  };
  const attempt = async <T>(step: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (error) {
      note(step, false, describe(error));
      return null;
    }
  };
  const credit = async () => (d.oauth ? d.oauth.client.credit(d.oauth.access).catch(() => null) : null);
  /** How many charges the account's transactions show since `since`; null when they cannot be read. */
  const chargesSince = async (since: number) => {
    if (!d.oauth) return null;
    const read = await d.oauth.client.transactionsSince(d.oauth.access, since - 60_000, 3).catch(() => null);
    return read ? read.transactions.filter((t) => t.amount < 0).length : null;
  };

  // 1. The catalog and the two seed services.
  const list = await attempt('Catalogo (GET /visure)', () => d.engine.listServices());
  if (!list) return finish();
  note('Catalogo (GET /visure)', true, `${list.length} servizi`);
  const congedoSummary = list.find((s) => CONGEDO.test(s.nome));
  const riscattoSummary = list.find((s) => RISCATTO.test(s.nome));
  let congedo: ServiceDetail | null = null;
  for (const [label, summary] of [
    ['Indennità per congedo parentale', congedoSummary],
    ['Riscatto del servizio militare', riscattoSummary],
  ] as const) {
    if (!summary) {
      note(`Dettaglio «${label}»`, false, 'servizio non presente nel catalogo');
      continue;
    }
    const detail = await attempt(`Dettaglio «${label}»`, () => d.engine.getService(summary.hash));
    if (!detail) continue;
    if (summary === congedoSummary) congedo = detail;
    const noOrder = detail.fields.filter((f) => f.ordine === null).map((f) => f.key);
    note(
      `Dettaglio «${label}»`,
      true,
      `${detail.fields.length} campi (senza ordine: ${noOrder.join(', ') || 'nessuno'}), prezzo ${euroText(detail.prezzo)}, ${detail.opzioni.length} opzioni`,
    );
  }
  if (!congedo) return finish();
  const service = congedo;
  const expected = Math.round((service.prezzo + (service.opzioni[0]?.prezzo ?? 0)) * 100) / 100;
  price = expected;

  // The calls from here may charge: with a token of their own, capped at the most the probe plans
  // to spend — two requests, IVA included (the wallet may take either).
  let engine = d.engine;
  let spent: (() => Promise<number | null>) | null = null;
  if (d.capped) {
    const planned = Math.round(2 * withIva(expected).totale * 100) / 100;
    const makeCapped = d.capped;
    const capped = await attempt('Token con tetto di spesa (POST /tokens)', () => makeCapped(planned));
    if (!capped) return finish();
    engine = capped.engine;
    spent = capped.spent;
    note(
      'Token con tetto di spesa (POST /tokens)',
      true,
      `limits.walletAmount ${euroText(planned)}: due richieste a ${euroText(expected)} + IVA`,
    );
  }
  /** What has moved so far: the token's own spending, the credit, the account's charges. */
  const measure = async (): Promise<Moves> => ({
    token: spent ? await spent().catch(() => null) : null,
    credit: await credit(),
    charges: await chargesSince(startedAt),
  });

  // 2. A test:true quote: its shape. One option chosen, when there are some, to tell chosen from all.
  const option = service.opzioni[0]?.nome ?? null;
  const json = sampleData(service);
  const submission: Submission = { service: service.hash, values: json, options: option ? [option] : [] };
  const quote = await attempt('Preventivo (POST /richiesta con test:true)', () =>
    engine.priceCheck(submission),
  );
  if (quote) {
    profile.priceCheck = quote.shape;
    if (quote.createdId) created.push(quote.createdId);
    note(
      'Preventivo (POST /richiesta con test:true)',
      true,
      `forma della risposta: ${quote.shape}${quote.base === null ? '' : `, prezzo ${euroText(quote.base)}`}${quote.createdId ? ` — ATTENZIONE: ha creato la richiesta ${quote.createdId}` : ''}`,
    );
    // 2b. Does the check validate? The same data with a codice fiscale whose check letter is wrong.
    const wrong = wrongCf(service, json);
    if (wrong) {
      const step = 'Preventivo con un dato errato (test:true, codice fiscale sbagliato)';
      try {
        const checked = await engine.priceCheck({ ...submission, values: wrong });
        if (checked.createdId) created.push(checked.createdId);
        profile.testCheck = 'none';
        note(
          step,
          true,
          'accettato: il controllo del prezzo non valida i dati, l’errore arriverà alla chiusura',
        );
      } catch (error) {
        const refused = error instanceof ValidationFailedError;
        if (refused) profile.testCheck = 'data';
        note(step, refused, refused ? 'rifiutato: il controllo del prezzo valida i dati' : describe(error));
      }
    }
  }
  // 3. One open request: charged already? echo? opzioni? state?
  const before = await measure();
  const open = await attempt('Richiesta aperta (POST /richiesta con state:0)', () => engine.open(submission));
  if (!open) return finish();
  created.push(open.id);
  profile.state = open.transaction === null ? 'absent' : 'present';
  profile.echo = echoOf(open, textValues(json)) === 'match' ? 'ricerche' : 'none';
  profile.opzioni = opzioniShape(open, option, service);
  profile.openPhase =
    open.phase === 'searching' ? 'in-ricerca' : open.phase === 'processing' ? 'in-erogazione' : 'other';
  const afterOpen = await measure();
  note(
    'Richiesta aperta (POST /richiesta con state:0)',
    true,
    `id ${open.id}; state ${open.transaction === null ? 'assente' : open.transaction === 'closed' ? 1 : 0}; eco dei dati: ${profile.echo === 'ricerche' ? 'sì' : 'no'}; opzioni nella risposta: ${profile.opzioni}; ${describeMoves(before, afterOpen)}`,
  );

  // 4. Its close. When the charge is taken is decided from what moved (the token's own spending
  // first: the account's credit and charges may move for another counter meanwhile).
  const closed = await attempt('Chiusura (PUT /richiesta/{id} con state:1)', () => engine.close(open.id));
  if (closed) {
    const afterClose = await measure();
    profile.charge = whenCharged(before, afterOpen, afterClose);
    note(
      'Chiusura (PUT /richiesta/{id} con state:1)',
      true,
      `stato «${stateNameOf(closed)}»; ${describeMoves(afterOpen, afterClose)}; addebito: ${
        profile.charge === 'open'
          ? 'alla creazione'
          : profile.charge === 'close'
            ? 'alla chiusura'
            : 'non determinato (non si è mosso nulla: Sandbox gratuita?)'
      }`,
    );
  }

  // 5. The list, then following the request to its outputs.
  const listed = await attempt('Elenco (GET /richiesta)', () => engine.list());
  if (listed) {
    const mine = listed.find((r) => r.id === open.id);
    note(
      'Elenco (GET /richiesta)',
      !!mine,
      mine ? `${listed.length} richieste, la nostra c'è` : 'la nostra richiesta non è nell’elenco',
    );
  }
  let done: RemoteRequest | null = null;
  if (closed) {
    const until = d.now() + (d.waitMs ?? 300_000);
    for (;;) {
      const remote = await engine.get(open.id).catch(() => null);
      if (remote && statusOfRemote(remote) !== 'pending') {
        done = remote;
        break;
      }
      if (d.now() >= until) break;
      await d.sleep(d.pollMs ?? 10_000);
    }
    note(
      'Stato (GET /richiesta/{id})',
      done !== null,
      done
        ? `«${stateNameOf(done)}», ${done.outputs.length} allegati`
        : 'non ancora conclusa nel tempo concesso',
    );
  }

  // 6. The document: the unit of dimensione.
  if (done && done.outputs.length) {
    const doc = await attempt('Documento (GET /documento/{id})', () => engine.outputs(open.id));
    if (doc) {
      const bytes = doc.zip.byteLength;
      profile.dimensione =
        doc.statedSize === null
          ? 'absent'
          : doc.statedSize === bytes
            ? 'bytes'
            : doc.statedSize === Math.ceil(bytes / 3) * 4
              ? 'base64'
              : 'other';
      note(
        'Documento (GET /documento/{id})',
        true,
        `zip di ${bytes} byte; dimensione ${doc.statedSize ?? 'assente'} (${profile.dimensione})`,
      );
    }
  }

  // 7. A second open request, cancelled, then closed: what a PUT on a cancelled request answers.
  const second = await attempt('Seconda richiesta aperta', () => engine.open(submission));
  if (second) {
    created.push(second.id);
    try {
      await engine.cancel(second.id, 'Verifica del servizio (Sportello)');
      profile.delete = 'supported';
    } catch (error) {
      profile.delete =
        error instanceof NotFoundError || (error instanceof EngineError && error.status === 405)
          ? 'absent'
          : 'unknown';
      note(
        'Annullamento (DELETE /richiesta/{id})',
        false,
        profile.delete === 'absent'
          ? `il servizio non offre DELETE (${describe(error)}): la seconda richiesta resta aperta, da chiudere dalla console Openapi`
          : describe(error),
      );
    }
    if (profile.delete === 'supported') {
      const put = await engine.close(second.id).then(
        (r) => r,
        (error: unknown) => error,
      );
      profile.cancelledPut =
        put instanceof AlreadyClosedError
          ? 'already-closed'
          : put instanceof NotFoundError
            ? 'not-found'
            : 'other';
      const after = await engine.get(second.id).catch(() => null);
      const motivo = after?.outcome.motivo;
      note(
        'Chiusura di una richiesta annullata (PUT state:1)',
        true,
        `risposta: ${put instanceof Error ? describe(put) : `«${stateNameOf(put as RemoteRequest)}»`}; poi lo stato è «${after ? stateNameOf(after) : '?'}» (${after ? fateOf(after) : '?'}); motivo_annullamento: ${motivo ? `«${motivo}»` : 'assente'}`,
      );
    }
  }

  // 8. The wallet's transactions: how a Visengine charge looks, net or with IVA.
  if (d.oauth) {
    const oauth = d.oauth;
    const txs = await attempt(
      'Movimenti del conto (GET /wallet/transactions)',
      async () => (await oauth.client.transactionsSince(oauth.access, startedAt - 60_000, 3)).transactions,
    );
    if (txs) {
      const charge = txs.find((t) => t.amount < 0 && isNear(t, startedAt, d.now()));
      profile.transactionDescription = charge?.description ?? null;
      if (charge)
        profile.transactionAmounts = samePrice(-charge.amount, expected)
          ? 'net'
          : samePrice(-charge.amount, withIva(expected).totale)
            ? 'gross'
            : 'unknown';
      note(
        'Movimenti del conto (GET /wallet/transactions)',
        true,
        charge
          ? `addebito ${euroText(-charge.amount)} «${charge.description}» (${profile.transactionAmounts === 'net' ? 'senza IVA' : profile.transactionAmounts === 'gross' ? 'IVA inclusa' : 'importo non riconosciuto'})`
          : `${txs.length} movimenti, nessun addebito della verifica`,
      );
    }
  } else {
    note(
      'Credito e movimenti',
      false,
      'servono email e chiave API dell’account (con il solo token non si leggono)',
    );
  }
  return finish();

  function finish(): ProbeReport {
    return {
      environment: d.environment,
      baseUrl: d.engine.baseUrl,
      startedAt,
      finishedAt: d.now(),
      steps,
      profile,
      reading: readingOf(profile),
      requests: created,
      requestPrice: price,
    };
  }
}

/** What may have moved at a step: each null when it cannot be read. */
interface Moves {
  /** The probe's token's own spending (euro). */
  token: number | null;
  /** The account's credit (euro). */
  credit: number | null;
  /** Charges among the account's transactions since the probe started. */
  charges: number | null;
}

/** Whether money moved between two readings: true, false, or null when nothing could tell. */
function moved(from: Moves, to: Moves): boolean | null {
  // The token's spending is the probe's alone: when it can be read, it decides.
  if (from.token !== null && to.token !== null) return !samePrice(to.token, from.token);
  const credit = from.credit !== null && to.credit !== null ? !samePrice(from.credit, to.credit) : null;
  const charges = from.charges !== null && to.charges !== null ? to.charges > from.charges : null;
  if (credit === null && charges === null) return null;
  return credit === true || charges === true;
}

/**
 * When the wallet was charged: at the open, at the close, or `unknown` — nothing could be read, or
 * nothing moved at all (a free Sandbox: the question stays open, never guessed).
 */
function whenCharged(before: Moves, afterOpen: Moves, afterClose: Moves): ServiceProfile['charge'] {
  const atOpen = moved(before, afterOpen);
  if (atOpen === true) return 'open';
  const atClose = moved(afterOpen, afterClose);
  if (atClose === true && atOpen === false) return 'close';
  return 'unknown';
}

function describeMoves(from: Moves, to: Moves): string {
  const parts = [`credito ${money(from.credit)} → ${money(to.credit)}`];
  if (from.token !== null || to.token !== null)
    parts.push(`speso dal token ${money(from.token)} → ${money(to.token)}`);
  if (from.charges !== null && to.charges !== null)
    parts.push(`addebiti nei movimenti ${from.charges} → ${to.charges}`);
  return parts.join('; ');
}

/** The dimensions of the simulator's readings (main/simulator/reading.ts) the profile answers. */
const READING_KEYS = [
  'charge',
  'echo',
  'opzioni',
  'priceCheck',
  'state',
  'cancelledPut',
  'dimensione',
  'delete',
  'openPhase',
  'testCheck',
] as const satisfies readonly (keyof ServiceProfile)[];

/**
 * The profile as the simulator takes a reading (`charge=open,echo=none,…`): `npm run simulator --
 * --reading-from report.json` replays what the real service answered. Only what the probe
 * determined: an undetermined dimension stays the simulator's default.
 */
function readingOf(profile: ServiceProfile): string {
  return READING_KEYS.filter((key) => profile[key] !== 'unknown' && profile[key] !== 'other')
    .map((key) => `${key}=${profile[key]}`)
    .join(',');
}

/** A complete request for the service: the seed client of DOMAIN.md, a tiny PDF per file field. */
function sampleData(service: ServiceDetail): Record<string, string> {
  const byType: Record<string, string> = {
    codice_fiscale_persona_fisica: 'RSSMRA85T10A562S',
    codice_fiscale: 'RSSMRA85T10A562S',
    email: 'verifica@example.it',
    data_iso8601: '01-01-2026',
    cod_comune: 'H501',
    cod_provincia: 'RM',
    partita_iva: '12345678903',
  };
  const json: Record<string, string> = {};
  for (const f of service.fields) {
    const name = f.nome.toLowerCase();
    if (f.tipo === 'file') json[f.key] = `verifica.pdf|data:application/pdf;base64,${PDF}`;
    else if (byType[f.tipo]) json[f.key] = byType[f.tipo]!;
    else if (/cognome/.test(name)) json[f.key] = 'Rossi';
    else if (/nome/.test(name)) json[f.key] = 'Mario';
    else if (/cell|telefono/.test(name)) json[f.key] = '+393331234567';
    else json[f.key] = 'Verifica Sportello';
  }
  return json;
}

/** The sample data with its codice fiscale's check letter made wrong; null for a service without one. */
function wrongCf(service: ServiceDetail, json: Record<string, string>): Record<string, string> | null {
  const field = service.fields.find(
    (f) => f.tipo === 'codice_fiscale_persona_fisica' || f.tipo === 'codice_fiscale',
  );
  const cf = field ? json[field.key] : undefined;
  if (!field || !cf) return null;
  const last = cf.at(-1) === 'A' ? 'B' : 'A';
  return { ...json, [field.key]: `${cf.slice(0, -1)}${last}` };
}

function textValues(json: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(json).filter(([, v]) => !v.includes('|data:')));
}

function opzioniShape(
  remote: RemoteRequest,
  chosen: string | null,
  service: ServiceDetail,
): ServiceProfile['opzioni'] {
  const names = [...remote.options].sort();
  if (!names.length) return 'null';
  if (service.opzioni.length > 1 && names.length === service.opzioni.length) return 'all';
  if (chosen && names.length === 1 && names[0] === chosen) return 'chosen';
  return 'unknown';
}

function isNear(t: WalletTransaction, from: number, to: number): boolean {
  return t.createdAt >= from - 600_000 && t.createdAt <= to + 600_000;
}

function money(value: number | null): string {
  return value === null ? '?' : euroText(value);
}

/** "14,70 €", as the clerk reads amounts. */
function euroText(value: number): string {
  return `${value.toFixed(2).replace('.', ',')} €`;
}

function describe(error: unknown): string {
  if (error instanceof EngineError) {
    const parts: string[] = [error.code];
    if (error.status !== undefined) parts.push(`HTTP ${error.status}`);
    if (error.apiCode !== undefined) parts.push(`codice ${error.apiCode}`);
    return parts.join(', ');
  }
  return error instanceof AppError ? error.code : 'errore interno';
}
