import { parseArgs } from 'node:util';
import { describeReading, parseReading } from './reading.ts';
import { Simulator } from './server.ts';

/*
 * `npm run simulator`: the Prova Visengine on its own, to try the API with curl or to point a
 * development build at it. Options: --port N, --token T, --wallet EURO, --state FILE,
 * --dati-ms MS / --evasa-ms MS (lifecycle durations), --reading R (how to read what the spec
 * leaves open: a preset — default, least-convenient — and/or key=value pairs, see reading.ts).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
    wallet: { type: 'string', default: '500' },
    state: { type: 'string' },
    'dati-ms': { type: 'string' },
    'evasa-ms': { type: 'string' },
    reading: { type: 'string', default: 'default' },
  },
});

let reading;
try {
  reading = parseReading(values.reading);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

const simulator = new Simulator({
  port: Number(values.port),
  wallet: Number(values.wallet),
  ...(values.token ? { token: values.token } : {}),
  ...(values.state ? { stateFile: values.state } : {}),
  reading,
  durations: {
    ...(values['dati-ms'] ? { toDatiDisponibili: Number(values['dati-ms']) } : {}),
    ...(values['evasa-ms'] ? { toEvasa: Number(values['evasa-ms']) } : {}),
  },
});

const url = await simulator.start();
process.stdout.write(
  [
    `Simulatore Visengine (Prova) in ascolto su ${url}`,
    `Token:        ${simulator.token}`,
    `Token admin:  ${simulator.adminToken}  (intestazione X-Sim-Admin per /__sim/…)`,
    `Credito:      ${simulator.wallet.toFixed(2)} €`,
    `Lettura:      ${describeReading(simulator.reading)}`,
    '',
    'Prova:',
    `  curl -s -H "Authorization: Bearer ${simulator.token}" ${url}/visure`,
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
