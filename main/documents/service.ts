import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Environment } from '../../common/environments.ts';
import type { OutputsReport } from '../../common/requests.ts';
import type { Engine, RemoteOutputs } from '../engine/engine.ts';
import { AppError, toErrorData } from '../errors.ts';
import { placeInside, type Roots } from '../files/roots.ts';
import type { Logger, Opener } from '../ports.ts';
import type { DocumentRow } from '../store/documents.ts';
import type { RequestRow } from '../store/request-row.ts';
import type { Register } from '../store/port.ts';
import { removeStaleTemp, writeFilesAtomically, type WrittenFile } from './archive.ts';
import type { ArchiveCopies } from './copies.ts';
import { clientFolderName, requestFolderName } from './folders.ts';
import { splitExtension } from './safeName.ts';
import { extractOutputs } from './unzip.ts';

export interface DocumentServiceDeps {
  store: Register;
  engine: (environment: Environment) => Promise<Engine>;
  /** This counter's archive (`roots.dir('archive')`), where every recorded name is resolved. */
  roots: Roots;
  opener: Opener;
  now: () => number;
  log: Logger;
  operator: () => string;
  changed: (id: string) => void;
  /** What this counter wrote into its archive, for retention to delete at purge (copies.ts). */
  copies: ArchiveCopies;
}

/**
 * The outputs of finished requests: downloaded, unzipped under limits, written atomically into
 * `<archive>/<Cognome Nome – CF>/<aaaa-mm-gg servizio – id>/`, opened through the Opener port.
 * Every open and every show-in-folder is written to the trail.
 *
 * The register records each document's path as a name under the archive root
 * (`<client>/<request>/<file>`), resolved under THIS counter's archive root (files/roots.ts): a
 * name that points outside it (`..`, absolute, UNC, a symbolic link out) is refused and reported,
 * never opened, read or hashed. Several counters of an office share one register, but only the
 * tracker's leader downloads, into ITS archive folder: another counter finds a recorded name that
 * is not on its disk (or, with a shared archive folder, one that is). Opening a document whose
 * recorded file is not here (missing, refused, or its bytes no longer hash to the recorded sha256)
 * looks for this counter's own copy, at the folders the row's data names, and fetches the
 * request's outputs there when it has none.
 *
 * Per-counter copies cost nothing to keep: a copy's name is derived from the row (client and
 * request folder names, as the download names them), so the register's rows keep the leader's
 * names and ids. The other counters' open pages keep working (no id they show is retired) and each
 * counter fetches at most once. The rows change only when the service now gives different outputs
 * from those recorded: then, as a re-download would, the new set is recorded and the others fetch
 * in turn.
 *
 * Whatever a counter writes into its archive (download or copy) is listed on that counter
 * (copies.ts): the register only keeps one counter's paths, and loses even those at the purge, so
 * each counter's retention deletes its own files of purged requests from that list.
 */
export class DocumentService {
  private readonly d: DocumentServiceDeps;
  private readonly inflight = new Map<string, Promise<RequestRow>>();
  private readonly copying = new Map<string, Promise<void>>();

  constructor(deps: DocumentServiceDeps) {
    this.d = deps;
  }

  /** Downloads a done request's outputs; a second call while one runs joins it. */
  download(id: string): Promise<RequestRow> {
    return this.inflight.get(id) ?? this.track(id, this.fetchAndStore(id));
  }

  /**
   * The outputs changed ("Visura evasa" added files): fetched again, after the download under way
   * if there is one — it may have been answered with the old list, so joining it would lose the
   * new files.
   */
  refresh(id: string): Promise<RequestRow> {
    const before = this.inflight.get(id);
    return this.track(
      id,
      before ? before.catch(() => null).then(() => this.fetchAndStore(id)) : this.fetchAndStore(id),
    );
  }

  /** `running` is the request's download until it ends (a later one may have replaced it). */
  private track(id: string, running: Promise<RequestRow>): Promise<RequestRow> {
    const tracked = running.finally(() => {
      if (this.inflight.get(id) === tracked) this.inflight.delete(id);
    });
    this.inflight.set(id, tracked);
    return tracked;
  }

  /** At start: finish what an interruption left (a crash mid-write, a failed download). */
  async resumeAll(): Promise<void> {
    await removeStaleTemp(this.d.roots.dir('archive')).catch(() => {});
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
    const { doc, path } = await this.local(documentId);
    const problem = await this.d.opener.openPath(path);
    if (problem) throw new AppError('internal', `Il sistema non riesce ad aprire il file: ${problem}`);
    await this.d.store.trail.add(doc.requestId, 'opened', this.d.operator(), { file: doc.fileName });
  }

  /** The bytes of an output, for printing or previewing in the app; only files of our archive. */
  async read(documentId: string): Promise<{ mime: string; data: Uint8Array; fileName: string }> {
    const { doc, path } = await this.local(documentId);
    const data = new Uint8Array(await readFile(path));
    await this.d.store.trail.add(doc.requestId, 'opened', this.d.operator(), {
      file: doc.fileName,
      inApp: true,
    });
    return { mime: mimeOf(doc.fileName), data, fileName: doc.fileName };
  }

  async showInFolder(documentId: string): Promise<void> {
    const { doc, path } = await this.local(documentId);
    this.d.opener.showItemInFolder(path);
    await this.d.store.trail.add(doc.requestId, 'opened', this.d.operator(), {
      file: doc.fileName,
      folder: true,
    });
  }

  /**
   * Where on this counter each document's recorded file is, for those that are here (the request's
   * page says which can be opened at once).
   */
  async onThisCounter(docs: readonly DocumentRow[]): Promise<Map<string, string>> {
    const here = new Map<string, string>();
    for (const doc of docs) {
      const path = await this.at(doc, doc.path);
      if (path) here.set(doc.id, path);
    }
    return here;
  }

  /** The folder of a request's outputs on this counter, from the name its row records. */
  folderOnThisCounter(row: RequestRow): string | null {
    return row.archiveFolder === null
      ? null
      : this.d.roots.place('archive', row.archiveFolder, {
          table: 'requests',
          id: row.id,
          requestId: row.id,
        });
  }

  /**
   * The document and a path on this counter holding its recorded bytes: the recorded name (this
   * counter downloaded it, or the archive folder is shared), else this counter's own copy, else
   * one fetched now. A document replaced meanwhile is matched by its file name.
   */
  private async local(documentId: string): Promise<{ doc: DocumentRow; path: string }> {
    const doc = await this.d.store.documents.get(documentId);
    if (!doc || doc.removedAt !== null) throw new AppError('not_found', 'Documento non trovato');
    const recorded = await this.at(doc, doc.path);
    if (recorded && (await holds(recorded, doc.sha256))) return { doc, path: recorded };
    const row = await this.d.store.requests.get(doc.requestId);
    if (!row) throw new AppError('not_found', 'Documento non trovato');
    const derived = `${this.folderOf(row)}/${doc.fileName}`;
    const here = await this.at(doc, derived);
    if (here && here !== recorded && (await holds(here, doc.sha256))) return { doc, path: here };
    await this.copy(row, doc);
    const current = (await this.d.store.documents.of(row.id)).find((d) => d.fileName === doc.fileName);
    if (current) {
      const at = await this.at(current, current.path);
      if (at && (await holds(at, current.sha256))) return { doc: current, path: at };
      const copied = await this.at(current, derived);
      if (copied && (await holds(copied, current.sha256))) return { doc: current, path: copied };
    }
    throw new AppError(
      'not_found',
      `Il file «${doc.fileName}» non è più tra i documenti che il servizio dà per questa pratica`,
      { details: { requestId: row.id, file: doc.fileName } },
    );
  }

  /** Fetches a request's outputs into this counter's archive; concurrent opens join one fetch. */
  private copy(row: RequestRow, doc: DocumentRow): Promise<void> {
    let running = this.copying.get(row.id);
    if (!running) {
      running = this.fetchCopy(row, doc).finally(() => this.copying.delete(row.id));
      this.copying.set(row.id, running);
    }
    return running;
  }

  /**
   * A failure here leaves the request's record as it was: the outputs are fine on the counter
   * that downloaded them, so neither its documents' state nor its last error change.
   */
  private async fetchCopy(row: RequestRow, doc: DocumentRow): Promise<void> {
    if (row.purgedAt !== null)
      throw new AppError(
        'not_allowed',
        'I documenti di questa pratica sono stati eliminati per la conservazione',
        { details: { requestId: row.id, file: doc.fileName } },
      );
    let fetched: Fetched;
    try {
      fetched = await this.fetchFiles(row);
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'internal';
      this.d.log.warn('document copy failed', { id: row.id, code });
      await this.d.store.trail.add(row.id, 'error', this.d.operator(), { phase: 'copy', code });
      throw new AppError(
        code,
        `Il file «${doc.fileName}» non è su questo computer e non è stato possibile scaricarlo di nuovo: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { details: { requestId: row.id, file: doc.fileName, cause: code }, cause: error },
      );
    }
    const { written, report } = fetched;
    const recorded = await this.d.store.documents.of(row.id);
    const same =
      recorded.length === written.length &&
      written.every((w) => recorded.some((r) => r.fileName === w.name && r.sha256 === w.sha256));
    if (same) {
      // The rows already describe these files: this counter's copy is found by its derived path.
      await this.d.store.trail.add(row.id, 'downloaded', this.d.operator(), {
        files: written.length,
        copy: true,
        ...reportData(report),
      });
      return;
    }
    if (!(await this.record(row.id, fetched))) throw await this.discard(row.id);
    this.d.changed(row.id);
  }

  /** A document's file on this counter under `name`, if it is there and inside the archive. */
  private async at(doc: DocumentRow, name: string): Promise<string | null> {
    const row = { table: 'documents', id: doc.id, requestId: doc.requestId } as const;
    const located = await this.d.roots.locate('archive', name, row);
    return located?.exists ? located.path : null;
  }

  /** `<client>/<date servizio – id>`: the request's folder, as a name under the archive root. */
  private folderOf(row: RequestRow): string {
    return this.d.roots.name(
      clientFolderName({ cognome: row.clientCognome, nome: row.clientNome, codiceFiscale: row.clientCf }),
      requestFolderName({
        date: new Date(row.submittedAt ?? row.createdAt),
        serviceName: row.serviceName,
        remoteId: row.remoteId ?? '',
      }),
    );
  }

  /** Download, checks and limits, atomic write into this counter's archive: nothing recorded. */
  private async fetchFiles(row: RequestRow): Promise<Fetched> {
    if (!row.remoteId || row.status !== 'done')
      throw new AppError('not_allowed', 'La pratica non ha ancora documenti');
    const remote = await (await this.d.engine(row.environment)).outputs(row.remoteId);
    if (!plausibleSize(remote))
      this.d.log.warn('document size differs from dimensione', {
        id: row.id,
        bytes: remote.zip.byteLength,
        dimensione: remote.statedSize,
      });
    const { files, leftOut } = await extractOutputs(remote.zip);
    // The reason and the type only: a file's name may name the client.
    for (const file of leftOut)
      this.d.log.warn('output left out', {
        id: row.id,
        reason: file.reason,
        extension: splitExtension(file.name).extension.toLowerCase() || null,
        ...file.details,
      });
    const folder = this.folderOf(row);
    const root = this.d.roots.dir('archive');
    const target = join(root, ...folder.split('/'));
    // A client's folder that is a link leading out of the archive (a shared archive folder is
    // anyone's to change) gets nothing written through it.
    if (!(await placeInside(root, folder)).ok)
      throw new AppError(
        'unsafe_archive',
        "La cartella del cliente nell'archivio porta fuori dall'archivio: non è stato salvato nulla",
        { details: { reason: 'folder_outside' } },
      );
    // Listed before written, and kept listed while written: whichever counter purges the request,
    // even meanwhile, this one deletes its files.
    const written = await this.d.copies.writing(
      { requestId: row.id, root, folder: target, files: files.map((f) => f.name) },
      () => writeFilesAtomically(target, files),
    );
    return {
      folder,
      written,
      kinds: new Map(files.map((f) => [f.name, f.kind])),
      report: {
        leftOut: leftOut.map((f) => ({ fileName: f.name, reason: f.reason })),
        signed: files
          .filter((f) => f.kind === 'p7m')
          .map((f) => ({
            fileName: f.name,
            content: files.find((c) => c.signedIn === f.name)?.name ?? null,
          })),
      },
    };
  }

  /**
   * Records the written files as the request's documents; false, recording nothing, when the
   * request was purged while they were fetched (its files are then this counter's to delete).
   */
  private async record(id: string, fetched: Fetched): Promise<boolean> {
    try {
      await this.d.store.transaction(() => this.recordIn(id, fetched));
      return true;
    } catch (error) {
      if (error instanceof PurgedMeanwhile) return false;
      throw error;
    }
  }

  private async recordIn(id: string, { folder, written, kinds, report }: Fetched): Promise<void> {
    // The row first: its write lock (PostgreSQL) orders this with a purge on another counter, which
    // then either came before (and is seen here) or waits and removes what is recorded here.
    await this.d.store.requests.update(id, {
      documentsState: 'ready',
      archiveFolder: folder,
      lastError: null,
    });
    const row = await this.d.store.requests.get(id);
    if (!row || row.purgedAt !== null) throw new PurgedMeanwhile();
    await this.d.store.documents.replace(
      id,
      written.map((w) => ({
        id: randomUUID(),
        fileName: w.name,
        // A name under the archive root, never this counter's absolute path.
        path: `${folder}/${w.name}`,
        kind: kinds.get(w.name) ?? 'pdf',
        size: w.size,
        sha256: w.sha256,
      })),
    );
    // The trail is append-only and outlives retention: no folder (it names the client) in it.
    // The files left out and the signed files' contents are said here, with the download: the
    // request's page reads them from its last download (requests/views.ts).
    await this.d.store.trail.add(id, 'downloaded', this.d.operator(), {
      files: written.length,
      ...reportData(report),
    });
  }

  /**
   * A request purged while its files were fetched: they go as the purge's went (the purge could not
   * know them), and the caller is told its data is gone.
   */
  private async discard(id: string): Promise<AppError> {
    await this.d.copies.sweep(async (requestId) => requestId === id);
    return purgedError(id);
  }

  private async fetchAndStore(id: string): Promise<RequestRow> {
    const row = await this.d.store.requests.get(id);
    if (!row?.remoteId || row.status !== 'done')
      throw new AppError('not_allowed', 'La pratica non ha ancora documenti');
    if (row.purgedAt !== null) throw purgedError(id);
    let recorded: boolean;
    try {
      recorded = await this.record(id, await this.fetchFiles(row));
    } catch (error) {
      await this.d.store.requests.update(id, { documentsState: 'failed', lastError: toErrorData(error) });
      await this.d.store.trail.add(id, 'error', this.d.operator(), {
        phase: 'download',
        code: error instanceof AppError ? error.code : 'internal',
      });
      this.d.changed(id);
      throw error;
    }
    if (!recorded) throw await this.discard(id);
    this.d.changed(id);
    return (await this.d.store.requests.get(id))!;
  }
}

/** A request's outputs written into this counter's archive, not yet recorded. */
interface Fetched {
  folder: string;
  written: WrittenFile[];
  kinds: Map<string, string>;
  report: OutputsReport;
}

/** The report's lists for the trail's event, only when they say something. */
function reportData(report: OutputsReport): Record<string, unknown> {
  return {
    ...(report.leftOut.length ? { leftOut: report.leftOut } : {}),
    ...(report.signed.length ? { signed: report.signed } : {}),
  };
}

/** Thrown inside the recording transaction (rolling it back) when the request is purged. */
class PurgedMeanwhile extends Error {}

function purgedError(id: string): AppError {
  return new AppError('not_allowed', 'I dati di questa pratica sono stati eliminati per la conservazione', {
    details: { requestId: id },
  });
}

/** Whether `path` is a readable file whose bytes hash to `sha256`. */
async function holds(path: string, sha256: string): Promise<boolean> {
  if (!path) return false;
  try {
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    return hash.digest('hex') === sha256;
  } catch {
    return false;
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
