import { parseArgs } from 'node:util';
import { parseReading } from '../../main/simulator/reading.ts';
import { startHarness } from './server.ts';
import { terminalDialogs } from './terminal-dialogs.ts';

/*
 * `npm run harness`: the whole app in a browser, for a person to try it (and what Playwright uses).
 * The UI is the built renderer; behind it the real main services, the Prova simulator, a SQLite
 * file and an archive folder. Options: --port N, --dir FOLDER (keep data between runs), --verbose,
 * --openapi (Sandbox and Produzione go to a second simulator standing in for Openapi, whose account
 * email and API key are printed: to try Impostazioni → Credenziali Openapi end to end), --reading R
 * (how Prova's simulator reads what the spec leaves open: see main/simulator/reading.ts).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5180' },
    dir: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    openapi: { type: 'boolean', default: false },
    reading: { type: 'string', default: 'default' },
  },
});

const harness = await startHarness({
  port: Number(values.port),
  verbose: values.verbose,
  // Folder choices and confirmations (API key, environment, archive, retention, scanners) are asked here.
  dialogs: terminalDialogs(),
  ...(values.dir ? { root: values.dir } : {}),
  ...(values.openapi ? { openapi: { owner: 'caf@example.it' } } : {}),
  reading: parseReading(values.reading),
  // As the app: SANE devices `scanimage -L` does not list (`test`: SANE's test backend).
  saneDevices: (process.env.SPORTELLO_SANE_DEVICES ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean),
});
process.stdout.write(
  [
    `Sportello (banco di prova) su ${harness.url}`,
    `Dati:        ${harness.root}`,
    `Simulatore:  ${harness.simulator.url} (credito ${harness.simulator.wallet.toFixed(2)} €)`,
    ...(harness.openapi
      ? [
          `Openapi:     ${harness.openapi.url} (Sandbox e Produzione)`,
          `  email:     ${harness.openapi.owner}`,
          `  chiave API ${harness.openapi.apiKey}`,
        ]
      : []),
    '',
    'Aprite l’indirizzo nel browser. I PDF prodotti sono nella cartella Archivio sotto i dati.',
    'Scelte di cartelle e conferme (chiave API, ambiente, archivio, conservazione) si rispondono qui.',
    'Ctrl+C per fermarlo.',
    '',
  ].join('\n'),
);

const stop = () => {
  void harness.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
