import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { environmentSchema } from '../../common/environments.ts';
import type { ProbeReport, ServiceProfile } from '../../common/probe.ts';
import { endpointsFor, hostOf } from '../engine/endpoints.ts';
import { OAuthClient, type OAuthAccess } from '../engine/oauth.ts';
import { visengineAt } from '../engine/provider.ts';
import { runProbe } from './probe.ts';
import { paidTarget } from './produzione.ts';
import { ProbeTokens } from './tokens.ts';

/*
 * `npm run probe -- --env sandbox`: the office's IT person checks how the real Visengine answers
 * where the spec is silent, with the office's sandbox credentials, before the counters rely on it.
 *   --email E --key K    the Openapi account's email and API key (or OPENAPI_EMAIL, OPENAPI_KEY);
 *                         the probe makes one-hour tokens (one that only reads the catalog, one
 *                         capped at its planned cost) and deletes them
 *   --token T            or a ready token (OPENAPI_TOKEN): then wallet and transactions are skipped
 *   --wait SECONDS       how long to follow the request towards its outputs (default 300)
 *   --out FILE           where to save the report (default probe-<env>-<date>.json)
 *   --base-url, --oauth-url   other hosts (a simulator: `npm run simulator`)
 * Produzione needs --produzione-a-pagamento: the probe creates two requests, which are charged —
 * also when --base-url or --oauth-url name Produzione's hosts under another --env.
 */

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'sandbox' },
    email: { type: 'string' },
    key: { type: 'string' },
    token: { type: 'string' },
    wait: { type: 'string', default: '300' },
    out: { type: 'string' },
    'base-url': { type: 'string' },
    'oauth-url': { type: 'string' },
    'produzione-a-pagamento': { type: 'boolean', default: false },
  },
});

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(2);
};

const environment = environmentSchema.exclude(['prova']).safeParse(values.env);
if (!environment.success)
  fail('--env: sandbox o produzione (Prova è il simulatore: usate npm run simulator)');
const env = environment.data!;
const endpoints = endpointsFor(env, { baseUrl: values['base-url'], oauthBaseUrl: values['oauth-url'] });
if (!URL.canParse(endpoints.visengine) || !URL.canParse(endpoints.oauth))
  fail('--base-url / --oauth-url: indirizzi non validi (es. http://127.0.0.1:4010)');
const paid = paidTarget(env, endpoints);
if (paid && !values['produzione-a-pagamento'])
  fail(
    `La verifica crea due richieste, che in ${paid} sono addebitate: usatela in Sandbox, o aggiungete --produzione-a-pagamento`,
  );
const http = (url: string, init: RequestInit) => fetch(url, init);
const oauth = new OAuthClient({ http, userAgent: 'Sportello-probe' });
const email = values.email ?? process.env.OPENAPI_EMAIL;
const key = values.key ?? process.env.OPENAPI_KEY;
const access: OAuthAccess | null = email && key ? { baseUrl: endpoints.oauth, email, apiKey: key } : null;
const token = values.token ?? process.env.OPENAPI_TOKEN ?? null;
if (!token && !access)
  fail('Servono --email e --key (o --token): le credenziali dell’ambiente da verificare');
const engineWith = (bearer: string) =>
  visengineAt({ baseUrl: endpoints.visengine, token: () => bearer, http });
// With the key the probe makes its own tokens, the spending one capped; a ready token spends uncapped.
const tokens =
  access && !token ? new ProbeTokens({ oauth, access, host: hostOf(endpoints.visengine), engineWith }) : null;

process.stdout.write(`Verifica di ${endpoints.visengine} (${env})\n\n`);
let report: ProbeReport;
try {
  report = await runProbe({
    environment: env,
    engine: tokens ? await tokens.reader() : engineWith(token!),
    capped: tokens ? (cost) => tokens.capped(cost) : null,
    oauth: access ? { client: oauth, access } : null,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    waitMs: Number(values.wait) * 1000,
    progress: (s) => process.stdout.write(`${s.ok ? '✓' : '✗'} ${s.step}: ${s.detail}\n`),
  });
} finally {
  await tokens?.discard();
}

/** Each open question, with the spec's silence it answers (VISENGINE.md, "What the spec leaves open"). */
const QUESTIONS: [keyof ServiceProfile, string][] = [
  [
    'charge',
    'Addebito alla creazione (state:0) o alla chiusura? — 402 è documentato solo su POST /richiesta',
  ],
  ['echo', 'Eco dei dati inviati in ricerche[].json_ricerca? — solo gli esempi Camerali lo mostrano'],
  ['opzioni', 'opzioni nelle risposte: scelte, null o tutte? — tipizzate come array, ogni esempio è null'],
  ['priceCheck', 'Forma della risposta a test:true — «simula la validazione e restituisce i prezzi»'],
  ['state', 'state presente nelle risposte? — non è obbligatorio nello schema'],
  ['cancelledPut', 'PUT su una richiesta aperta annullata — 239 «già chiusa» o altro?'],
  ['dimensione', 'Unità di dimensione in GET /documento — non documentata'],
  ['delete', 'DELETE /richiesta/{id} — non è nella specifica'],
  ['transactionAmounts', 'Importi nei movimenti del conto: senza IVA o con IVA?'],
];
process.stdout.write('\nProfilo del servizio:\n');
for (const [key, question] of QUESTIONS)
  process.stdout.write(`  ${String(report.profile[key]).padEnd(14)} ${question}\n`);
if (report.requests.length)
  process.stdout.write(`\nRichieste create dalla verifica: ${report.requests.join(', ')}\n`);
if (report.reading)
  process.stdout.write(
    `\nLettura per il simulatore: ${report.reading}\n  (npm run simulator -- --reading-from <rapporto>)\n`,
  );
const out = values.out ?? `probe-${env}-${new Date().toISOString().slice(0, 10)}.json`;
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\nRapporto salvato in ${out}\n`);
