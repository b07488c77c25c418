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
import { AlreadyClosedError, EngineError, NotFoundError } from '../engine/errors.ts';
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

export interface ProbeDeps {
  environment: Environment;
  engine: Engine;
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

  // 2. A test:true quote: its shape. One option chosen, when there are some, to tell chosen from all.
  const option = service.opzioni[0]?.nome ?? null;
  const json = sampleData(service);
  const submission: Submission = { service: service.hash, values: json, options: option ? [option] : [] };
  const quote = await attempt('Preventivo (POST /richiesta con test:true)', () =>
    d.engine.priceCheck(submission),
  );
  if (quote) {
    profile.priceCheck = quote.shape;
    if (quote.createdId) created.push(quote.createdId);
    note(
      'Preventivo (POST /richiesta con test:true)',
      true,
      `forma della risposta: ${quote.shape}${quote.base === null ? '' : `, prezzo ${euroText(quote.base)}`}${quote.createdId ? ` — ATTENZIONE: ha creato la richiesta ${quote.createdId}` : ''}`,
    );
  }
  const expected = Math.round((service.prezzo + (service.opzioni[0]?.prezzo ?? 0)) * 100) / 100;
  price = expected;

  // 3. One open request: charged already? echo? opzioni? state?
  const before = await credit();
  const open = await attempt('Richiesta aperta (POST /richiesta con state:0)', () =>
    d.engine.open(submission),
  );
  if (!open) return finish();
  created.push(open.id);
  profile.state = open.transaction === null ? 'absent' : 'present';
  profile.echo = echoOf(open, textValues(json)) === 'match' ? 'ricerche' : 'none';
  profile.opzioni = opzioniShape(open, option, service);
  const afterOpen = await credit();
  if (before !== null && afterOpen !== null)
    profile.charge = samePrice(before - afterOpen, 0) ? 'close' : 'open';
  note(
    'Richiesta aperta (POST /richiesta con state:0)',
    true,
    `id ${open.id}; state ${open.transaction === null ? 'assente' : open.transaction === 'closed' ? 1 : 0}; eco dei dati: ${profile.echo === 'ricerche' ? 'sì' : 'no'}; opzioni nella risposta: ${profile.opzioni}; credito ${money(before)} → ${money(afterOpen)}`,
  );

  // 4. Its close.
  const closed = await attempt('Chiusura (PUT /richiesta/{id} con state:1)', () => d.engine.close(open.id));
  if (closed) {
    const afterClose = await credit();
    if (profile.charge === 'unknown' && afterOpen !== null && afterClose !== null)
      profile.charge = samePrice(afterOpen - afterClose, 0) ? 'open' : 'close';
    note(
      'Chiusura (PUT /richiesta/{id} con state:1)',
      true,
      `stato «${stateNameOf(closed)}»; credito dopo ${money(afterClose)}; addebito: ${profile.charge === 'open' ? 'alla creazione' : profile.charge === 'close' ? 'alla chiusura' : 'non determinato'}`,
    );
  }

  // 5. The list, then following the request to its outputs.
  const listed = await attempt('Elenco (GET /richiesta)', () => d.engine.list());
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
      const remote = await d.engine.get(open.id).catch(() => null);
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
    const doc = await attempt('Documento (GET /documento/{id})', () => d.engine.outputs(open.id));
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
  const second = await attempt('Seconda richiesta aperta', () => d.engine.open(submission));
  if (second) {
    created.push(second.id);
    try {
      await d.engine.cancel(second.id, 'Verifica del servizio (Sportello)');
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
      const put = await d.engine.close(second.id).then(
        (r) => r,
        (error: unknown) => error,
      );
      profile.cancelledPut =
        put instanceof AlreadyClosedError
          ? 'already-closed'
          : put instanceof NotFoundError
            ? 'not-found'
            : 'other';
      const after = await d.engine.get(second.id).catch(() => null);
      note(
        'Chiusura di una richiesta annullata (PUT state:1)',
        true,
        `risposta: ${put instanceof Error ? describe(put) : `«${stateNameOf(put as RemoteRequest)}»`}; poi lo stato è «${after ? stateNameOf(after) : '?'}» (${after ? fateOf(after) : '?'})`,
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
      requests: created,
      requestPrice: price,
    };
  }
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
