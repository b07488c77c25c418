/*
 * One counter of an office: the app's real services in a process of their own, on the office's
 * PostgreSQL register, for test/reliability/office.test.ts to run eight of and kill with SIGKILL.
 * Usage:
 *   node test/reliability/office-child.ts <root> <simulator url> <token> <db config json> <counter name>
 *     <work|settle> <seed> [decisions json]
 * "work": starts, prints "ready", then submits drafts (printing "sent" after each send that
 * returned) and now and then presses "Riprova" on any counter's unfinished request, until killed.
 * "settle": starts (resumeAll), applies the clerk's decisions given for this counter's requests,
 * waits until no submission is left unfinished in the register, closes out what was abandoned,
 * prints "settled" and exits.
 */
import { nodePorts } from '../../main/adapters/node/node-ports.ts';
import { systemClock } from '../../main/adapters/system-clock.ts';
import { createApp } from '../../main/app.ts';
import { openPool, type OfficeDbConfig } from '../../main/db/postgres/connection.ts';
import type { Logger } from '../../main/ports.ts';
import { PgRegister } from '../../main/store/postgres/register.ts';
import { prng } from '../../bench/support.ts';
import type { SubmissionChoice } from '../../common/requests.ts';
import { congedoDraft, sendDraft } from '../support/drafts.ts';
import { textPdf } from '../support/files.ts';

const [root, url, token, dbJson, counterName, mode, seedText, decisionsJson] = process.argv.slice(2);
if (!root || !url || !token || !dbJson || !counterName || !mode)
  throw new Error('usage: office-child.ts <root> <url> <token> <db> <counter> <mode> <seed> [decisions]');
const random = prng(Number(seedText ?? 1));
const LEASE_MS = Number(process.env.OFFICE_LEASE_MS ?? 2_000);
const quiet: Logger = { info() {}, warn() {}, error() {} };
const db = JSON.parse(dbJson) as OfficeDbConfig;

const pdf = await textPdf(1);
const ports = nodePorts(root, { log: quiet });
ports.clock = systemClock;
const app = createApp(ports, {
  version: 'office-test',
  baseUrlOverride: url,
  engineTimeouts: { read: 400, write: 400, document: 2_000 },
  engineRetry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
  // The simulator finishes what it received at once: an uncertain POST need not settle for 20 s.
  settleMs: 500,
  register: (now, counter) => new PgRegister(openPool(db, { max: 3, onIdleError: () => {} }), now, counter),
  lease: { ms: LEASE_MS, renewMs: Math.floor(LEASE_MS / 4), sweepMs: Math.floor(LEASE_MS / 2) },
});
const h = app.handlers;
// The cipher's key is new in every process: store the token again before anything calls out
// (the clerk confirms main's questions: the token, and the environment when it changes).
ports.dialogs.confirmEverything();
await h['settings.setToken']('sandbox', token);
await h['settings.update']({ environment: 'sandbox', counterName, operatorName: `Operatore ${counterName}` });
const ignore = () => undefined;
const { store } = app.internals;

async function submitOne(n: number): Promise<void> {
  const documents = { $5: { name: 'identita.pdf', data: pdf }, $6: { name: 'tessera.pdf', data: pdf } };
  await sendDraft(app, await congedoDraft(app, { fields: { $1: `Rossi${n}` }, documents }));
}

/** A clerk pressing "Riprova" on any counter's unfinished request, or sending another counter's draft. */
async function retryAnyone(): Promise<void> {
  const unfinished = (await store.requests.unfinishedSubmissions()).filter((r) => !r.candidates);
  const row = unfinished[Math.floor(random() * unfinished.length)];
  if (row) await h['requests.retry'](row.id).catch(ignore);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (mode === 'work') {
  // After the start, not before: the test kills only counters that are up, and times the start.
  await app.start();
  process.stdout.write('ready\n');
  for (let n = 0; ; n++) {
    await submitOne(Math.floor(random() * 1e9)).then(() => process.stdout.write('sent\n'), ignore);
    if (random() < 0.3) await retryAnyone();
    if (random() < 0.2) await h['requests.refreshAll']().catch(ignore);
  }
}

// settle: what a morning start of every counter finishes, with the clerk's choices where asked.
await app.start();
const decisions = decisionsJson
  ? (JSON.parse(decisionsJson) as { id: string; choice: SubmissionChoice }[])
  : [];
for (const { id, choice } of decisions) {
  await h['requests.resolveSubmission'](id, choice).catch((e: unknown) =>
    process.stdout.write(`decision ${id} failed: ${String((e as Error).message)}\n`),
  );
}
const deadline = Date.now() + Number(process.env.OFFICE_SETTLE_MS ?? 40_000);
let left: number;
for (;;) {
  const unfinished = (await store.requests.unfinishedSubmissions()).filter((r) => !r.candidates);
  left = unfinished.length;
  if (!left || Date.now() > deadline) break;
  // What this counter can do now (its own scans): "Riprova" on each; the others' are theirs.
  for (const row of unfinished) {
    if (row.counter === counterName && row.lastError) await h['requests.retry'](row.id).catch(ignore);
  }
  await sleep(300);
}
await app.internals.closeOut.run().catch(ignore);
await app.close();
process.stdout.write(`settled ${left}\n`);
process.exit(0);
