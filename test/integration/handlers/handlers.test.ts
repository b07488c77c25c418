import { afterEach, describe, expect, it } from 'vitest';
import { nodePorts } from '../../../main/adapters/node/node-ports.ts';
import { appHandlers } from '../../../main/app-info.ts';
import { catalogHandlers } from '../../../main/catalog/handlers.ts';
import { CatalogService } from '../../../main/catalog/catalog.ts';
import { clientHandlers } from '../../../main/clients/handlers.ts';
import { createClientServices } from '../../../main/clients/services.ts';
import { createCore, type Core } from '../../../main/core.ts';
import { provaOf } from '../../../main/simulator/prova.ts';
import { documentHandlers } from '../../../main/documents/handlers.ts';
import { ServiceProfiles } from '../../../main/probe/profiles.ts';
import { ProbeService } from '../../../main/probe/service.ts';
import { ThreadedReader } from '../../../main/reading/threaded.ts';
import { draftHandlers, requestHandlers } from '../../../main/requests/handlers.ts';
import { createRequestServices } from '../../../main/requests/services.ts';
import { scanningHandlers } from '../../../main/scanning/handlers.ts';
import { createScanningServices } from '../../../main/scanning/services.ts';
import { SettingsChanges } from '../../../main/settings/changes.ts';
import { settingsHandlers } from '../../../main/settings/handlers.ts';
import { memoryLogger } from '../../support/logger.ts';
import { CONGEDO, startSimulator } from '../../support/simulator.ts';
import { tempDir } from '../../support/tmp.ts';
import { defaultDocuments, MARIO } from '../../support/drafts.ts';

/*
 * Each service answers its own part of the contract (main/<service>/handlers.ts): tested here with
 * only what that part needs — the shared core (real ports on Node, a real SQLite file, the
 * simulator) and its own services — never the whole app.
 */

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) {
    await core.background.drain();
    await core.store.close();
  }
});

async function core(): Promise<Core> {
  const { simulator } = await startSimulator();
  const ports = nodePorts(tempDir(), { log: memoryLogger() });
  const made = createCore(ports, { version: '0.0.0-test', prova: async () => provaOf(simulator) });
  cores.push(made);
  return made;
}

const catalogOf = (c: Core) =>
  new CatalogService({
    cache: c.store.catalog,
    engine: c.engine,
    events: c.events,
    now: c.now,
    log: c.log,
    background: c.background,
  });

describe('handlers by service', () => {
  it('app: the version, the environment and where data lives', async () => {
    const c = await core();
    const info = await appHandlers(c, '9.9.9')['app.info']();
    expect(info).toMatchObject({ version: '9.9.9', environment: 'prova', dataDir: c.ports.paths.userData });
    expect(info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('catalog: the services of the current environment, Patronato first, and a form', async () => {
    const c = await core();
    const h = catalogHandlers(catalogOf(c), c.environment);
    const list = await h['catalog.list']();
    expect(list.length).toBe(92);
    expect(list[0]!.categoria).toBe('Patronato');
    expect((await h['catalog.detail'](CONGEDO)).fields[0]!.key).toBe('$0');
  });

  it('drafts and requests: a draft filled, priced and sent, then on Home — with the request services alone', async () => {
    const c = await core();
    const catalog = catalogOf(c);
    const services = createRequestServices(c, {
      catalog,
      profiles: new ServiceProfiles(c.ports.preferences),
      settleMs: 50,
    });
    const drafts = draftHandlers({ services });
    const requests = requestHandlers({
      services,
      catalog,
      background: c.background,
      now: c.now,
      operator: c.operator,
      environment: c.environment,
    });
    const draft = await drafts['drafts.create'](CONGEDO);
    await drafts['drafts.update'](draft.id, { fields: MARIO });
    for (const [key, source] of Object.entries(await defaultDocuments()))
      await drafts['attachments.add'](draft.id, key, source);
    const quote = await requests['requests.quote'](draft.id);
    const sent = await requests['requests.submit'](draft.id, quote.total);
    expect(sent).toMatchObject({ status: 'pending', chargedPrice: 14.7 });
    expect((await requests['requests.home']()).inProgress.map((r) => r.id)).toEqual([draft.id]);
    await expect(requests['requests.cancel'](draft.id, 'ripensamento')).resolves.toMatchObject({
      id: draft.id,
    });
  });

  it('documents: an unknown output is refused in Italian, nothing opened', async () => {
    const c = await core();
    const services = createRequestServices(c, {
      catalog: catalogOf(c),
      profiles: new ServiceProfiles(c.ports.preferences),
    });
    const h = documentHandlers(services.documents);
    await expect(h['documents.open']('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('settings: a preference saved and pushed; credentials only once the clerk confirms in main', async () => {
    const c = await core();
    const services = createRequestServices(c, {
      catalog: catalogOf(c),
      profiles: new ServiceProfiles(c.ports.preferences),
    });
    const saved: string[] = [];
    c.events.subscribe((event) => saved.push(event));
    const profiles = new ServiceProfiles(c.ports.preferences);
    const h = settingsHandlers({
      core: c,
      changes: new SettingsChanges({ dialogs: c.ports.dialogs, usable: async () => true }),
      probe: new ProbeService({ core: c, profiles, ledger: services.ledger, store: services.store }),
      profiles,
      spending: services.spending,
      saved: async () => {},
    });
    expect(await h['settings.update']({ officeName: 'CAF Centro' })).toMatchObject({
      officeName: 'CAF Centro',
    });
    expect(saved).toContain('settingsChanged');
    await expect(h['settings.setToken']('sandbox', 'tok-0123456789abcdef')).rejects.toMatchObject({
      code: 'not_confirmed',
    });
    expect(await h['settings.serviceProfile']('sandbox')).toBeNull();
  });

  it('clients: a client found by codice fiscale once a request of theirs exists', async () => {
    const c = await core();
    const catalog = catalogOf(c);
    const services = createRequestServices(c, {
      catalog,
      profiles: new ServiceProfiles(c.ports.preferences),
    });
    const { files, clients, access } = createClientServices(c, {
      store: services.store,
      attachments: services.attachments,
      catalog,
      documents: services.documents,
    });
    const draft = await services.drafts.create(CONGEDO);
    await services.drafts.update(draft.id, { fields: MARIO });
    for (const [key, source] of Object.entries(await defaultDocuments()))
      await services.drafts.addAttachment(draft.id, key, source);
    await services.submitter.submit(draft.id, (await services.submitter.quote(draft.id)).total);
    const h = clientHandlers(clients, files, access);
    expect((await h['clients.search']('Rossi')).map((m) => m.cf)).toEqual([MARIO.$4]);
  });

  it('scanning: the SANE test scanner scans a page into a draft’s field', async () => {
    const c = await core();
    const catalog = catalogOf(c);
    const services = createRequestServices(c, {
      catalog,
      profiles: new ServiceProfiles(c.ports.preferences),
    });
    const scanning = createScanningServices(c, {
      ...services,
      catalog,
      // Started only if a page is read, which this test does not do.
      reader: new ThreadedReader({ log: c.log }),
      config: { backends: ['sane'], saneDevices: ['test'] },
    });
    const h = scanningHandlers(scanning);
    const survey = await h['scanning.devices']();
    const device = survey.devices.find((d) => d.id.includes('test'));
    expect(device).toBeDefined();
    const draft = await services.drafts.create(CONGEDO);
    const pages = await h['scanning.scan'](draft.id, '$5', device!.id, {
      resolution: 75,
      mode: 'gray',
      source: 'flatbed',
    });
    expect(pages).toHaveLength(1);
    expect(await h['scans.status']()).toMatchObject({ folder: null, watching: false });
  });
});
