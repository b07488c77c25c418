import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Environment } from '../../common/environments.ts';
import type { Engine, RemoteOutputs } from '../engine/engine.ts';
import { AppError, toErrorData } from '../errors.ts';
import type { Logger, Opener } from '../ports.ts';
import type { RequestRow } from '../store/request-row.ts';
import type { Register } from '../store/port.ts';
import { removeStaleTemp, writeFilesAtomically } from './archive.ts';
import { clientFolderName, requestFolderName } from './folders.ts';
import { extractOutputs } from './unzip.ts';

export interface DocumentServiceDeps {
  store: Register;
  engine: (environment: Environment) => Promise<Engine>;
  archiveRoot: () => string;
  opener: Opener;
  now: () => number;
  log: Logger;
  operator: () => string;
  changed: (id: string) => void;
}

/**
 * The outputs of finished requests: downloaded, unzipped under limits, written atomically into
 * `<archive>/<Cognome Nome – CF>/<aaaa-mm-gg servizio – id>/`, opened through the Opener port.
 * Every open and every show-in-folder is written to the trail.
 */
export class DocumentService {
  private readonly d: DocumentServiceDeps;
  private readonly inflight = new Map<string, Promise<RequestRow>>();

  constructor(deps: DocumentServiceDeps) {
    this.d = deps;
  }

  /** Downloads a done request's outputs; a second call while one runs joins it. */
  download(id: string): Promise<RequestRow> {
    let running = this.inflight.get(id);
    if (!running) {
      running = this.fetchAndStore(id).finally(() => this.inflight.delete(id));
      this.inflight.set(id, running);
    }
    return running;
  }

  /** At start: finish what an interruption left (a crash mid-write, a failed download). */
  async resumeAll(): Promise<void> {
    await removeStaleTemp(this.d.archiveRoot()).catch(() => {});
    // Only the ids of the rows to resume (an index names them): decoding every done row of a
    // large log is what made start-up slow.
    for (const id of await this.d.store.requests.documentsDue()) {
      await this.download(id).catch((error: unknown) =>
        this.d.log.warn('document download failed', {
          id,
          code: error instanceof AppError ? error.code : 'internal',
        }),
      );
    }
  }

  async open(documentId: string): Promise<void> {
    const doc = await this.existing(documentId);
    const problem = await this.d.opener.openPath(doc.path);
    if (problem) throw new AppError('internal', `Il sistema non riesce ad aprire il file: ${problem}`);
    await this.d.store.trail.add(doc.requestId, 'opened', this.d.operator(), { file: doc.fileName });
  }

  /** The bytes of an output, for printing or previewing in the app; only files of our archive. */
  async read(documentId: string): Promise<{ mime: string; data: Uint8Array; fileName: string }> {
    const doc = await this.existing(documentId);
    const data = new Uint8Array(await readFile(doc.path));
    await this.d.store.trail.add(doc.requestId, 'opened', this.d.operator(), {
      file: doc.fileName,
      inApp: true,
    });
    return { mime: mimeOf(doc.fileName), data, fileName: doc.fileName };
  }

  async showInFolder(documentId: string): Promise<void> {
    const doc = await this.existing(documentId);
    this.d.opener.showItemInFolder(doc.path);
    await this.d.store.trail.add(doc.requestId, 'opened', this.d.operator(), {
      file: doc.fileName,
      folder: true,
    });
  }

  private async existing(documentId: string) {
    const doc = await this.d.store.documents.get(documentId);
    if (!doc || doc.removedAt !== null) throw new AppError('not_found', 'Documento non trovato');
    if (!existsSync(doc.path)) {
      throw new AppError(
        'not_found',
        `Il file «${doc.fileName}» non è più nella cartella dell'archivio: scaricatelo di nuovo`,
      );
    }
    return doc;
  }

  private async fetchAndStore(id: string): Promise<RequestRow> {
    const row = await this.d.store.requests.get(id);
    if (!row?.remoteId || row.status !== 'done')
      throw new AppError('not_allowed', 'La pratica non ha ancora documenti');
    if (row.purgedAt !== null)
      throw new AppError('not_allowed', 'I dati di questa pratica sono stati eliminati per la conservazione');
    try {
      const remote = await (await this.d.engine(row.environment)).outputs(row.remoteId);
      if (!plausibleSize(remote))
        this.d.log.warn('document size differs from dimensione', {
          id,
          bytes: remote.zip.byteLength,
          dimensione: remote.statedSize,
        });
      const zip = remote.zip;
      const files = await extractOutputs(zip);
      const folder = join(
        this.d.archiveRoot(),
        clientFolderName({ cognome: row.clientCognome, nome: row.clientNome, codiceFiscale: row.clientCf }),
        requestFolderName({
          date: new Date(row.submittedAt ?? row.createdAt),
          serviceName: row.serviceName,
          remoteId: row.remoteId,
        }),
      );
      const written = await writeFilesAtomically(folder, files);
      const kinds = new Map(files.map((f) => [f.name, f.kind]));
      await this.d.store.transaction(async () => {
        await this.d.store.documents.replace(
          id,
          written.map((w) => ({
            id: randomUUID(),
            fileName: w.name,
            path: w.path,
            kind: kinds.get(w.name) ?? 'pdf',
            size: w.size,
            sha256: w.sha256,
          })),
        );
        await this.d.store.requests.update(id, {
          documentsState: 'ready',
          archiveFolder: folder,
          lastError: null,
        });
        // The trail is append-only and outlives retention: no folder (it names the client) in it.
        await this.d.store.trail.add(id, 'downloaded', this.d.operator(), { files: written.length });
      });
    } catch (error) {
      await this.d.store.requests.update(id, { documentsState: 'failed', lastError: toErrorData(error) });
      await this.d.store.trail.add(id, 'error', this.d.operator(), {
        phase: 'download',
        code: error instanceof AppError ? error.code : 'internal',
      });
      this.d.changed(id);
      throw error;
    }
    this.d.changed(id);
    return (await this.d.store.requests.get(id))!;
  }
}

/**
 * The stated size has no documented unit (Visengine's `dimensione`): the zip's bytes, the base64
 * text's length, or absent. It is only compared loosely, for the log: the zip's own integrity
 * (central directory, CRC of every entry, checked by unzip.ts) is what proves the download whole.
 */
function plausibleSize(remote: RemoteOutputs): boolean {
  const bytes = remote.zip.byteLength;
  return (
    remote.statedSize === null ||
    remote.statedSize === bytes ||
    remote.statedSize === Math.ceil(bytes / 3) * 4
  );
}

function mimeOf(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'pdf') return 'application/pdf';
  if (ext === 'xml') return 'application/xml';
  if (ext === 'txt' || ext === 'csv') return 'text/plain';
  return 'application/octet-stream';
}
