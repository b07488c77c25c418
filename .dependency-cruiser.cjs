/**
 * The house's layering, as ../shared/design/ARCHITECTURE.md states it, checked on every
 * `npm run lint` (and so in CI). Type-only imports count: a layer that names a higher layer's type
 * depends on it all the same.
 *
 * main/, lowest first (a layer may import only itself and the ones below it):
 *   foundation   ports.ts errors.ts events.ts dispatch.ts background.ts disposables.ts
 *                log/ net/ db/ pdf/ security/ files/
 *   engine       engine/ (the port in domain terms, Visengine's wire in engine/visengine/)
 *   store        store/ (one repository per aggregate: requests, trail, attachments, documents,
 *                catalog; the storage the services share)
 *   settings     settings/ update/
 *   files        catalog/ attachments/ documents/ reading/
 *   requests     requests/ (its handlers.ts and services.ts are composition)
 *   features     clients/ scanning/ mandato/ receipt/ probe/
 *   composition  core.ts app-info.ts app.ts, every <service>/handlers.ts and <service>/services.ts
 *                (these two take narrow ports, never core.ts's Core, nor anything of probe/)
 *   shell        index.ts window.ts ipc.ts adapters/ — the only code that touches Electron
 * simulator/ is a server apart: it speaks Visengine's wire and knows nothing of the app.
 */

const FOUNDATION =
  '^main/(ports|errors|events|dispatch|background|disposables)[.]ts$|^main/(log|net|db|pdf|security|files)/';
const ENGINE = '^main/engine/';
const STORE = '^main/store/';
const SETTINGS = '^main/(settings|update)/';
const FILES = '^main/(catalog|attachments|documents|reading)/';
const REQUESTS = '^main/requests/';
const FEATURES = '^main/(clients|scanning|mandato|receipt|probe)/';
const COMPOSITION = '^main/(core|app-info|app)[.]ts$|^main/(?!simulator/)[^/]+/(handlers|services)[.]ts$';
const SHELL = '^main/(index|window|ipc)[.]ts$|^main/adapters/';
const SIMULATOR = '^main/simulator/';
const ELECTRON = '^(electron|electron-store|electron-updater)$';

/** A rule that `from` may import nothing but `allowed` (its own layer included) inside main/. */
const onlyBelow = (name, from, allowed, comment) => ({
  name,
  severity: 'error',
  comment,
  from: { path: from, pathNot: COMPOSITION },
  to: { path: '^main/', pathNot: allowed.join('|') },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle anywhere, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'common-is-pure',
      severity: 'error',
      comment: 'common/ is pure TypeScript for both processes: no main, renderer, preload, Node or Electron.',
      from: { path: '^common/' },
      to: {
        pathNot: '^common/|^node_modules/(zod|@marketto/codice-fiscale-utils|libphonenumber-js)/',
      },
    },
    {
      name: 'renderer-sees-only-common',
      severity: 'error',
      comment: 'The renderer knows only window.api and common/: never main/, preload/, Node or Electron.',
      from: { path: '^renderer/' },
      to: { path: `^(main|preload|test|bench|build)/|${ELECTRON}` },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      comment: 'The renderer runs sandboxed: no Node built-ins.',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-is-thin',
      severity: 'error',
      comment: 'The preload is generated from the contract: common/ and Electron only.',
      from: { path: '^preload/' },
      to: { pathNot: `^preload/|^common/|${ELECTRON}|^node_modules/(zod)/` },
    },
    {
      name: 'electron-only-in-the-shell',
      severity: 'error',
      comment: 'Only main/adapters, index.ts, window.ts, ipc.ts and the preload import Electron.',
      from: { path: '^(main|common|renderer)/', pathNot: SHELL },
      to: { path: `${ELECTRON}|^node_modules/(electron|electron-store|electron-updater)/` },
    },
    {
      name: 'main-not-renderer',
      severity: 'error',
      comment: 'main/ never imports the renderer or the preload.',
      from: { path: '^main/' },
      to: { path: '^(renderer|preload)/' },
    },
    {
      name: 'composition-root-is-a-root',
      severity: 'error',
      comment: 'Only main/index.ts (and tests, the harness, benchmarks) start the app from app.ts.',
      from: { path: '^main/', pathNot: '^main/index[.]ts$' },
      to: { path: '^main/(app|index)[.]ts$' },
    },
    {
      name: 'composition-is-above-services',
      severity: 'error',
      comment: 'Services do not reach up into the composition (core.ts, app.ts, handlers, services.ts).',
      from: { path: '^main/', pathNot: `${COMPOSITION}|${SHELL}` },
      to: { path: COMPOSITION },
    },
    {
      name: 'services-take-ports-not-core',
      severity: 'error',
      comment:
        'A service, its handlers.ts and services.ts included, declares the narrow ports it uses (core.ts gives them, app.ts passes them): no folder of main/ but the adapters (which build AppPorts) imports core.ts.',
      from: { path: '^main/[^/]+/', pathNot: '^main/adapters/' },
      to: { path: '^main/core[.]ts$' },
    },
    {
      name: 'probe-from-above-only',
      severity: 'error',
      comment:
        'The probe is a tool built on the engine: what a service needs of it is a port declared where it is used, which probe/ implements and app.ts passes. No folder of main/ but probe/ imports main/probe/.',
      from: { path: '^main/[^/]+/', pathNot: '^main/probe/' },
      to: { path: '^main/probe/' },
    },
    onlyBelow('foundation-stays-below', FOUNDATION, [FOUNDATION], 'The foundation imports nothing above it.'),
    onlyBelow(
      'engine-stays-below',
      ENGINE,
      [FOUNDATION, ENGINE],
      'The engine knows the service outside, not the app: no settings, requests, simulator.',
    ),
    onlyBelow(
      'store-stays-below',
      STORE,
      [FOUNDATION, ENGINE, STORE],
      'The store keeps rows: it knows no service above it (rules, lifecycle, features).',
    ),
    onlyBelow(
      'settings-stay-below',
      SETTINGS,
      [FOUNDATION, ENGINE, SETTINGS],
      'Settings sit on the engine only.',
    ),
    onlyBelow(
      'files-stay-below',
      FILES,
      [FOUNDATION, ENGINE, STORE, SETTINGS, FILES],
      'Catalog, attachments, documents and their reading do not know requests or the features above them.',
    ),
    onlyBelow(
      'requests-stay-below',
      REQUESTS,
      [FOUNDATION, ENGINE, STORE, SETTINGS, FILES, REQUESTS],
      'Requests do not know clients, scanning, the mandato, receipts or the probe.',
    ),
    onlyBelow(
      'features-stay-below',
      FEATURES,
      [FOUNDATION, ENGINE, STORE, SETTINGS, FILES, REQUESTS, FEATURES],
      'Features do not reach into the composition or the shell.',
    ),
    {
      name: 'simulator-apart',
      severity: 'error',
      comment:
        'The simulator is a server apart: it may share the foundation and Visengine’s wire, nothing else.',
      from: { path: SIMULATOR },
      to: { path: '^main/', pathNot: `${SIMULATOR}|${FOUNDATION}|^main/engine/visengine/` },
    },
    {
      name: 'simulator-only-from-the-root',
      severity: 'error',
      comment: 'Only the composition root gives the engine a Prova factory; no service starts the simulator.',
      from: { path: '^main/', pathNot: `${SIMULATOR}|^main/(index|app)[.]ts$` },
      to: { path: SIMULATOR },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(out|dist|release|node_modules)/' },
  },
};
