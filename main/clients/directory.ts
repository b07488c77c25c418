import type { Client, ClientMatch } from '../../common/clients.ts';
import type { DocumentService } from '../documents/service.ts';
import type { RequestRow } from '../store/request-row.ts';
import type { Register } from '../store/port.ts';
import { refetchable, toSummary } from '../requests/views.ts';
import type { ClientFiles } from './files.ts';

const MATCHES = 8;

/** Lower case, accents folded: how the search compares what is typed with a name. */
const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/**
 * Clients as the counter knows them: by codice fiscale, from the requests sent for them. There is
 * no separate register to keep in step — a client is their requests (and, with consent, their
 * documents on file); retention purging the requests forgets the client too.
 */
export class ClientDirectory {
  private readonly store: Register;
  private readonly files: ClientFiles;
  private readonly documents: Pick<DocumentService, 'onThisCounter'>;

  constructor(deps: {
    store: Register;
    files: ClientFiles;
    documents: Pick<DocumentService, 'onThisCounter'>;
  }) {
    this.store = deps.store;
    this.files = deps.files;
    this.documents = deps.documents;
  }

  /**
   * Clients whose name or codice fiscale holds every word typed ("rossi", "RSS MRA 85T10"), most
   * recent first. The register's search also looks at the service and the ids: a service's name
   * typed in the new-request box ("congedo") is not a client.
   */
  async search(text: string): Promise<ClientMatch[]> {
    const page = await this.store.requests.search({ text, limit: 60, sortBy: 'createdAt', sortDir: 'desc' });
    const words = fold(text).split(/\s+/).filter(Boolean);
    const seen = new Map<string, RequestRow>();
    for (const row of page.rows) {
      if (!row.clientCf || row.purgedAt !== null || seen.has(row.clientCf)) continue;
      const who = fold([row.clientCognome, row.clientNome, row.clientCf].filter(Boolean).join(' '));
      if (words.every((w) => who.includes(w))) seen.set(row.clientCf, row);
    }
    const stats = await this.store.requests.clientStats([...seen.keys()].slice(0, MATCHES));
    return [...seen.values()].slice(0, MATCHES).map((row) => ({
      cf: row.clientCf!,
      name: [row.clientCognome, row.clientNome].filter(Boolean).join(' '),
      requests: stats.get(row.clientCf!)?.count ?? 1,
      lastAt: stats.get(row.clientCf!)?.lastAt ?? row.createdAt,
    }));
  }

  /** Everything known of a codice fiscale; an unknown one has empty lists (a new client). */
  async get(code: string): Promise<Client> {
    const cf = code.trim().toUpperCase();
    const rows = await this.store.requests.byClient(cf);
    const files = await this.files.files(cf);
    const consent = await this.files.consentOf(cf);
    const documents = await Promise.all(rows.map((r) => this.store.documents.of(r.id)));
    const here = await this.documents.onThisCounter(documents.flat());
    const latest = rows.find((r) => r.purgedAt === null) ?? null;
    const counts = await this.store.documents.counts(rows.map((r) => r.id));
    return {
      cf,
      nome: latest?.clientNome ?? null,
      cognome: latest?.clientCognome ?? null,
      email: latest?.clientEmail ?? null,
      phone: latest?.clientPhone ?? null,
      requests: rows.map((r) => toSummary(r, counts.get(r.id) ?? 0)),
      outputs: rows.flatMap((r, i) =>
        documents[i]!.map((d) => ({
          requestId: r.id,
          serviceName: r.serviceName,
          document: {
            id: d.id,
            fileName: d.fileName,
            kind: d.kind,
            size: d.size,
            path: here.get(d.id) ?? '',
            available: here.has(d.id) || refetchable(r),
          },
        })),
      ),
      files,
      consent,
      keepUntil: await this.files.keepUntil(cf),
      canKeepFiles: await this.files.canKeep(),
      filesReadable: await this.files.readable(cf),
    };
  }
}
