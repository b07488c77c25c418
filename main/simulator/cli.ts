import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeReading, parseReading } from './reading.ts';
import { Simulator } from './server.ts';

/*
 * `npm run simulator`: the Prova Visengine on its own, to try the API with curl or to point a
 * development build at it. Options: --port N, --token T, --wallet EURO, --state FILE,
 * --dati-ms MS / --evasa-ms MS (lifecycle durations), --owner EMAIL and --api-key K (the account of
 * the OAuth API: tokens, wallet), --disabled-scopes "DELETE /richiesta,GET /documento", --reading R
 * (how to read what the spec leaves open: a preset — default, least-convenient — and/or key=value
 * pairs, see reading.ts), --reading-from FILE (the reading a probe report recorded: `npm run
 * probe` against the real service, replayed here), --free (a free sandbox: nothing is charged).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
    owner: { type: 'string' },
    'api-key': { type: 'string' },
    'disabled-scopes': { type: 'string' },
    wallet: { type: 'string', default: '500' },
    state: { type: 'string' },
    'dati-ms': { type: 'string' },
    'evasa-ms': { type: 'string' },
    reading: { type: 'string', default: 'default' },
    'reading-from': { type: 'string' },
    free: { type: 'boolean', default: false },
  },
});

let reading;
try {
  reading = parseReading(values['reading-from'] ? recordedReading(values['reading-from']) : values.reading);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

const simulator = new Simulator({
  port: Number(values.port),
  wallet: Number(values.wallet),
  ...(values.token ? { token: values.token } : {}),
  ...(values.owner ? { owner: values.owner } : {}),
  ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
  ...(values['disabled-scopes']
    ? { disabledScopes: values['disabled-scopes'].split(',').map((s) => s.trim()) }
    : {}),
  ...(values.state ? { stateFile: values.state } : {}),
  reading,
  free: values.free,
  durations: {
    ...(values['dati-ms'] ? { toDatiDisponibili: Number(values['dati-ms']) } : {}),
    ...(values['evasa-ms'] ? { toEvasa: Number(values['evasa-ms']) } : {}),
  },
});

const url = await simulator.start();
process.stdout.write(
  [
    `Simulatore Visengine (Prova) in ascolto su ${url}`,
    `Token:        ${simulator.token}  (ogni scope, non scade)`,
    `Account:      ${simulator.owner}`,
    `Chiave API:   ${simulator.apiKey}  (Basic auth di /tokens, /scopes, /wallet)`,
    `Token admin:  ${simulator.adminToken}  (intestazione X-Sim-Admin per /__sim/…)`,
    `Credito:      ${simulator.wallet.toFixed(2)} €${values.free ? ' (sandbox gratuita: nulla viene addebitato)' : ''}`,
    `Lettura:      ${describeReading(simulator.reading)}`,
    '',
    'Prova:',
    `  curl -s -H "Authorization: Bearer ${simulator.token}" ${url}/visure`,
    `  curl -s -u '${simulator.owner}:${simulator.apiKey}' ${url}/wallet`,
    '',
    'Ctrl+C per fermarlo.',
    '',
  ].join('\n'),
);

const stop = () => {
  void simulator.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

/** The `reading` a probe report (`npm run probe -- --out FILE`) recorded, in parseReading's text form. */
function recordedReading(file: string): string {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { reading?: unknown };
  if (typeof report.reading !== 'string')
    throw new Error(`${file}: nessuna lettura registrata (manca «reading»: è un rapporto di npm run probe?)`);
  return report.reading;
}
