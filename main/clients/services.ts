import { join } from 'node:path';
import type { AttachmentStore } from '../attachments/store.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import type { DocumentService } from '../documents/service.ts';
import { MandatoService } from '../mandato/service.ts';
import type { Dialogs, Logger, Paths, PreferenceStore, SecretCipher } from '../ports.ts';
import type { DocumentReader } from '../reading/port.ts';
import { Receipts } from '../receipt/receipts.ts';
import type { ConfigFile, PreferencesService } from '../settings/preferences.ts';
import { localSealingKey } from '../store/local-sealing-key.ts';
import type { Register } from '../store/port.ts';
import { CounterKey } from './counter-key.ts';
import { ClientDirectory } from './directory.ts';
import { DocumentsAccess } from './documents-access.ts';
import { ClientFiles } from './files.ts';
import { Keyring } from './keyring.ts';
import { LocalFiles } from './local-files.ts';

/** What the clients' services take of the app's shared core (main/core.ts gives it, app.ts passes it). */
export interface ClientsCore {
  ports: {
    paths: Pick<Paths, 'userData'>;
    preferences: PreferenceStore<ConfigFile>;
    cipher: SecretCipher;
    dialogs: Dialogs;
  };
  log: Logger;
  now: () => number;
  preferences: PreferencesService;
  operator: () => string;
  counter: () => string;
  /** This installation's id: its key, and the grants made to it, are named after it. */
  counterId: string;
}

/**
 * Returning clients: documents on file (with consent, kept as they were sent, sealed in the
 * register for every counter granted their key), the client view, and the papers printed for the
 * client — the receipt and the mandato (which says what is kept).
 */
export function createClientServices(
  core: ClientsCore,
  d: {
    store: Register;
    attachments: AttachmentStore;
    catalog: CatalogService;
    documents: DocumentService;
    /** Reads the identity document kept on file, for its own expiry. */
    reader?: DocumentReader | undefined;
  },
) {
  const { now, operator, log, preferences, ports } = core;
  const { store, attachments, catalog } = d;
  const counterKey = new CounterKey({
    preferences: ports.preferences,
    cipher: ports.cipher,
    keys: store.keys,
    counterId: core.counterId,
    counterName: core.counter,
    now,
    log,
  });
  const keyring = new Keyring({ keys: store.keys, counterKey, counterId: core.counterId, now, log });
  const local = new LocalFiles({
    store,
    keyring,
    cipher: ports.cipher,
    dir: join(ports.paths.userData, 'clienti'),
    // On an office the sealing key of before that sealed this counter's files is in its own log only
    // (the office's holds the first counter's); on a counter alone the two are one.
    legacyKeys: async () => [
      ...new Set(
        [
          await store.clients.sealingKey(),
          localSealingKey(join(ports.paths.userData, 'pratiche.sqlite')),
        ].filter((k): k is string => k !== null),
      ),
    ],
    now,
    log,
  });
  const files = new ClientFiles({
    store,
    attachments,
    catalog,
    counterKey,
    keyring,
    local,
    reader: d.reader,
    now,
    operator,
    log,
  });
  attachments.beforeScansDeleted((id) => files.keep(id));
  return {
    files,
    access: new DocumentsAccess({
      keys: store.keys,
      trail: store.trail,
      keyring,
      counterKey,
      dialogs: ports.dialogs,
      counterId: core.counterId,
      counter: core.counter,
      operator,
      log,
    }),
    clients: new ClientDirectory({ store, files, documents: d.documents }),
    receipts: new Receipts({ store, catalog, preferences, operator }),
    mandati: new MandatoService({ store, catalog, preferences, now, keepUntil: (cf) => files.keepUntil(cf) }),
  };
}
