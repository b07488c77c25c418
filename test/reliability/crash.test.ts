import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeStaleTemp } from '../../main/documents/archive.ts';
import { prng } from '../../bench/support.ts';
import {
  DEFAULT_READING,
  describeReading,
  LEAST_CONVENIENT,
  matrixReadings,
  type SpecReading,
} from '../../main/simulator/reading.ts';
import { checkMoney } from '../support/money.ts';
import { startSimulator } from '../support/simulator.ts';
import { tempDir } from '../support/tmp.ts';

/*
 * Crash consistency: the real services run in a child process that is killed with SIGKILL at
 * random points while it submits, downloads and purges. After every kill the database must pass
 * integrity_check; at the end one clean start must reconcile everything: exactly-once charges
 * (support/money.ts), and an archive holding only whole, recorded files. It runs under several
 * readings of what the spec leaves open (main/simulator/reading.ts): CRASH_KILLS per reading
 * (default 12 on 4 readings: the default; the least convenient; charged at creation with nothing
 * echoed and an open request that already reads "In erogazione"; and that phase alone — `npm run
 * test:long`: 25 on every reading of the matrix).
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 12);
const SEED = Number(process.env.CRASH_SEED ?? 7);
const READINGS: SpecReading[] =
  process.env.CRASH_READINGS === 'all'
    ? [...matrixReadings(), LEAST_CONVENIENT]
    : [
        DEFAULT_READING,
        LEAST_CONVENIENT,
        { ...DEFAULT_READING, charge: 'open', echo: 'none', openPhase: 'in-erogazione' },
        { ...DEFAULT_READING, openPhase: 'in-erogazione' },
      ];
const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

interface Run {
  killed: boolean;
  output: string;
}

/** Starts the child; kills it `killAfterMs` after it is ready (never, for verify). */
function runChild(args: string[], killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let killed = false;
    let timer: NodeJS.Timeout | null = null;
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfterMs !== null && timer === null && output.includes('ready')) {
        timer = setTimeout(() => {
          killed = proc.kill('SIGKILL');
        }, killAfterMs);
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', () => {
      if (timer) clearTimeout(timer);
      resolve({ killed, output });
    });
  });
}

function integrity(file: string): string {
  if (!existsSync(file)) return 'ok';
  const db = new BetterSqlite3(file);
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Every file under the archive, hidden leftovers apart. */
function visibleFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.sportello-')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? visibleFiles(path) : [path];
  });
}

describe('crash consistency', () => {
  it.each(READINGS.map((r, i) => [i + 1, describeReading(r), r] as const))(
    `reading %i/${READINGS.length} (%s): survives ${KILLS} SIGKILLs during submission, download and purge`,
    { timeout: 120_000 + KILLS * 4_000 },
    async (index, name, reading) => {
      const random = prng(SEED + index);
      const { simulator } = await startSimulator({
        now: Date.now,
        wallet: 1_000_000,
        durations: { toDatiDisponibili: 150, toEvasa: 150 },
        reading,
      });
      const root = tempDir('sportello-crash-');
      const dbFile = join(root, 'userData', 'pratiche.sqlite');
      let kills = 0;
      for (let i = 0; i < KILLS; i++) {
        const mode = random() < 0.25 ? 'purge' : 'work';
        // Early kills land in start-up (reconciliation, downloads, purge); later ones mid-work.
        const run = await runChild(
          [root, simulator.url, simulator.token, mode, String(i + 1)],
          Math.floor(random() * 1_200),
        );
        if (!run.killed) throw new Error(`the child ended by itself:\n${run.output}`);
        kills++;
        expect(integrity(dbFile), `after kill ${i + 1}`).toBe('ok');
        if (KILLS > 20 && kills % 10 === 0)
          console.info(`  crash reading ${index}/${READINGS.length}: ${kills}/${KILLS} kills`);
      }

      const verify = await runChild([root, simulator.url, simulator.token, 'verify', '0'], null);
      expect(verify.output).toContain('verified');
      expect(integrity(dbFile)).toBe('ok');

      const db = new BetterSqlite3(dbFile, { readonly: true });
      const rows = db
        .prepare(
          'SELECT id, status, remote_id, submit_intent, purged_at, documents_state, candidates_json FROM requests',
        )
        .all() as {
        id: string;
        status: string;
        remote_id: string | null;
        submit_intent: number;
        purged_at: number | null;
        documents_state: string;
        candidates_json: string | null;
      }[];
      const docs = db
        .prepare('SELECT request_id, path, sha256 FROM documents WHERE removed_at IS NULL')
        .all() as {
        request_id: string;
        path: string;
        sha256: string;
      }[];
      const ledger = db
        .prepare('SELECT remote_id AS remoteId, request_id AS requestId, origin, fate FROM remote_requests')
        .all() as { remoteId: string; requestId: string; origin: string; fate: string }[];
      db.close();

      // Exactly once, nothing lost, nothing stuck, nothing left silently (support/money.ts).
      const report = checkMoney(
        rows.map((r) => ({
          id: r.id,
          status: r.status,
          remoteId: r.remote_id,
          submitIntent: r.submit_intent === 1,
          awaitingChoice: r.candidates_json !== null,
          candidates: r.candidates_json
            ? (JSON.parse(r.candidates_json) as { remoteId: string }[]).map((c) => c.remoteId)
            : [],
        })),
        ledger,
        simulator.requests(),
        simulator.charges(),
      );
      expect(report.problems, name).toEqual([]);
      expect(report.submitted).toBeGreaterThan(0);
      const submitted = report.submitted;

      // The archive: every recorded file is there, whole; every visible file is recorded.
      const archive = join(root, 'Archivio');
      // The register records names under the archive root.
      const files = docs.map((doc) => ({ ...doc, file: join(archive, ...doc.path.split('/')) }));
      for (const doc of files) {
        expect(existsSync(doc.file), doc.path).toBe(true);
        expect(createHash('sha256').update(readFileSync(doc.file)).digest('hex'), doc.path).toBe(doc.sha256);
      }
      const recorded = new Set(files.map((d) => d.file));
      const unrecorded = visibleFiles(archive).filter((path) => !recorded.has(path));
      expect(unrecorded).toEqual([]);
      for (const row of rows) {
        if (row.status === 'done' && row.purged_at === null)
          expect(row.documents_state, row.id).toBe('ready');
      }
      // Leftovers of interrupted writes are hidden, and the start-up sweep takes them once they are old.
      await removeStaleTemp(archive, { now: Date.now() + 11 * 60_000 });
      const hidden = (dir: string): string[] =>
        existsSync(dir)
          ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
              e.name.startsWith('.sportello-')
                ? [join(dir, e.name)]
                : e.isDirectory()
                  ? hidden(join(dir, e.name))
                  : [],
            )
          : [];
      expect(hidden(archive)).toEqual([]);
      console.info(
        `crash ${index}/${READINGS.length} [${name}]: ${kills} kills, ${rows.length} requests, ${submitted} submitted, ${docs.length} documents, ` +
          `${rows.filter((r) => r.purged_at !== null).length} purged`,
      );
    },
  );
});
