import { readdir, rm, rmdir } from 'node:fs/promises';
import type { AttachmentStore } from '../attachments/store.ts';
import type { ArchiveCopies } from '../documents/copies.ts';
import type { RegisterRow } from '../files/refused-paths.ts';
import type { Roots } from '../files/roots.ts';
import { errorFields } from '../log/redact.ts';
import type { Logger } from '../ports.ts';
import { retireSentBackDraft } from './drafts.ts';
import { REQUEST_TABLES } from '../store/personal-data.ts';
import type { LedgerPort, Register } from '../store/port.ts';
import type { Lifecycle } from './lifecycle.ts';

/** Drafts untouched this long are thrown away with their scans: copies of IDs must not linger. */
export const STALE_DRAFT_DAYS = 30;
const DAY = 86_400_000;

export interface RetentionReport {
  purged: number;
  draftsDiscarded: number;
}

/**
 * The office's retention policy: outputs and personal data of finished requests older than the
 * configured days are removed; what remains is the trail (who, what, when) and the amounts.
 */
export class Retention {
  private readonly d: {
    store: Register;
    ledger: LedgerPort;
    lifecycle: Lifecycle;
    attachments: AttachmentStore;
    /**
     * Where the documents' recorded names are deleted: this counter's archive only. A name that
     * points elsewhere (written by another counter, or by hand) is refused and reported.
     */
    roots: Roots;
    now: () => number;
    days: () => number;
    log: Logger;
    operator: () => string;
    changed: (id: string) => void;
    /** The log folder: its files older than the retention go with the personal data. */
    logs?: { prune(before: number): Promise<unknown> } | undefined;
    /**
     * What this counter wrote into its archive (documents/copies.ts). The purge deletes the
     * recorded paths on the counter that runs it; every counter, at each run, deletes its own files
     * of purged requests from this list: whoever purged, and even if it was off at the time.
     */
    copies: ArchiveCopies;
  };

  private swept = false;
  /** A compaction that failed (another counter held a table too long): the next run does it. */
  private compactionOwed = false;
  private running: Promise<RetentionReport> | null = null;

  constructor(deps: Retention['d']) {
    this.d = deps;
  }

  /**
   * One run at a time; a call while one runs joins it. Two runs at once would purge the same rows,
   * and one's forgetPurgedPaths would forget the paths of files the other has yet to delete: a
   * crash then left them in the archive, known to nothing.
   */
  run(): Promise<RetentionReport> {
    this.running ??= this.runOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async runOnce(): Promise<RetentionReport> {
    const report: RetentionReport = { purged: 0, draftsDiscarded: 0 };
    const now = this.d.now();
    const days = this.d.days();
    if (!this.swept) {
      // Once per process: only a crash mid-purge leaves such files, and a crash means a new process.
      await removeFiles(this.d.roots, await this.d.store.documents.purgedPaths());
      await this.d.store.documents.forgetPurgedPaths();
      this.swept = true;
    }
    if (days > 0) {
      for (const row of await this.d.store.requests.purgeable(now - days * DAY)) {
        // The record first, the files after: a crash in between leaves files that the next start
        // removes (whatever the clock says), never records of files that are gone. The documents
        // are read in the purge's transaction: a download recording meanwhile is before or after it.
        const documents = await this.d.store.transaction(async () => {
          const documents = await this.d.store.documents.of(row.id);
          await this.d.store.purge(row.id);
          await this.d.store.trail.add(row.id, 'purged', this.d.operator(), {
            retentionDays: days,
            files: documents.length,
          });
          return documents;
        });
        await removeFiles(this.d.roots, documents);
        await this.d.store.documents.forgetPurgedPaths();
        await this.d.attachments.deleteScans(row.id);
        this.d.changed(row.id);
        report.purged++;
      }
    }
    // Whatever this counter's setting: another counter of the office may have purged them.
    // A request this register does not know is left alone: only a purge says its files must go.
    await this.d.copies
      .sweep(async (id) => {
        const row = await this.d.store.requests.get(id);
        return row !== null && row.purgedAt !== null;
      })
      .catch((error: unknown) => this.d.log.warn('archive copies: sweep failed', errorFields(error)));
    const stale = now - STALE_DRAFT_DAYS * DAY;
    // Sent back after a price change or a refusal at close: they reached the API, so they are
    // purged and cancelled rather than deleted; their ID scans and codice fiscale go all the same.
    for (const draft of await this.d.store.requests.staleRemoteDrafts(stale)) {
      await retireSentBackDraft(
        {
          store: this.d.store,
          attachments: this.d.attachments,
          ledger: this.d.ledger,
          lifecycle: this.d.lifecycle,
        },
        draft,
        'stale',
        now,
      );
      this.d.changed(draft.id);
      report.draftsDiscarded++;
    }
    for (const draft of await this.d.store.requests.byStatus(['draft'])) {
      if (draft.remoteId || draft.updatedAt > stale) continue;
      await this.d.attachments.deleteScans(draft.id);
      await this.d.store.trail.add(null, 'deleted', this.d.operator(), { draft: draft.id, reason: 'stale' });
      await this.d.store.deleteDraft(draft.id);
      report.draftsDiscarded++;
    }
    if (report.purged || report.draftsDiscarded || this.compactionOwed) await this.compact();
    if (days > 0 && this.d.logs) await this.d.logs.prune(now - days * DAY);
    if (report.purged || report.draftsDiscarded) this.d.log.info('retention', { ...report });
    return report;
  }

  /** Once purged, the rows' old versions go from the disk too (the register's compactAfterPurge). */
  private async compact(): Promise<void> {
    this.compactionOwed = true;
    const { incomplete } = await this.d.store.compactAfterPurge(REQUEST_TABLES);
    this.compactionOwed = false;
    if (incomplete.length)
      this.d.log.warn('retention: the office server keeps old WAL segments (README, Più sportelli)', {
        incomplete,
      });
  }
}

async function removeIfEmpty(folder: string): Promise<void> {
  try {
    if ((await readdir(folder)).length === 0) await rmdir(folder);
  } catch {
    // already gone, or not empty any more: either way nothing to do
  }
}

/**
 * Only the files the rows name, inside this counter's archive, then their request's and client's
 * folders if empty (never the archive itself): never a recursive delete.
 */
async function removeFiles(
  roots: Roots,
  files: readonly { id: string; requestId: string; path: string }[],
): Promise<void> {
  const folders = new Map<string, RegisterRow>();
  for (const file of files) {
    const row: RegisterRow = { table: 'documents', id: file.id, requestId: file.requestId };
    const located = await roots.locate('archive', file.path, row);
    if (!located) continue;
    await rm(located.path, { force: true });
    const parts = file.path.split(/[\\/]/u);
    for (let depth = parts.length - 1; depth >= Math.max(1, parts.length - 2); depth--)
      folders.set(parts.slice(0, depth).join('/'), row);
  }
  // The deepest first: a request's folder before its client's.
  const deepestFirst = [...folders].sort(([a], [b]) => b.split('/').length - a.split('/').length);
  for (const [name, row] of deepestFirst) {
    const located = await roots.locate('archive', name, row);
    if (located?.exists) await removeIfEmpty(located.path);
  }
}
