import type { AttachmentStore } from '../attachments/store.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import type { Core } from '../core.ts';
import type { DocumentService } from '../documents/service.ts';
import { MandatoService } from '../mandato/service.ts';
import { Receipts } from '../receipt/receipts.ts';
import type { Register } from '../store/port.ts';
import { ClientDirectory } from './directory.ts';
import { ClientFiles } from './files.ts';
import { FileSealer } from './sealer.ts';

/**
 * Returning clients: documents on file (with consent, kept as they were sent), the client view,
 * and the papers printed for the client — the receipt and the mandato (which says what is kept).
 */
export function createClientServices(
  core: Core,
  d: { store: Register; attachments: AttachmentStore; catalog: CatalogService; documents: DocumentService },
) {
  const { now, operator, log, preferences, ports } = core;
  const { store, attachments, catalog } = d;
  const files = new ClientFiles({
    store,
    attachments,
    catalog,
    sealer: new FileSealer({ records: store.clients, cipher: ports.cipher, now }),
    roots: core.roots,
    now,
    operator,
    counter: core.counter,
    log,
  });
  attachments.beforeScansDeleted((id) => files.keep(id));
  return {
    files,
    clients: new ClientDirectory({ store, files, documents: d.documents }),
    receipts: new Receipts({ store, catalog, preferences, operator }),
    mandati: new MandatoService({ store, catalog, preferences, now, keepUntil: (cf) => files.keepUntil(cf) }),
  };
}
