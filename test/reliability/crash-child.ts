/*
 * The app's real services in a process of their own, for test/reliability/crash.test.ts to kill
 * with SIGKILL at random points. Usage:
 *   node test/reliability/crash-child.ts <root> <simulator url> <token> <work|purge|verify> <seed>
 * Prints "ready" once the app is built, then works until killed ("verify" exits by itself).
 */
import { nodePorts } from '../../main/adapters/node/node-ports.ts';
import { createApp } from '../../main/app.ts';
import type { Logger } from '../../main/ports.ts';
import { systemClock } from '../../main/adapters/system-clock.ts';
import { prng } from '../../bench/support.ts';
import { congedoDraft, sendDraft } from '../support/drafts.ts';
import { textPdf } from '../support/files.ts';

const [root, url, token, mode, seedText] = process.argv.slice(2);
if (!root || !url || !token || !mode)
  throw new Error('usage: crash-child.ts <root> <url> <token> <mode> <seed>');
const random = prng(Number(seedText ?? 1));
const DAY = 86_400_000;
// A purge run lives 400 days later: everything finished is older than the 365 days kept.
const skew = mode === 'purge' ? 400 * DAY : 0;
const quiet: Logger = { info() {}, warn() {}, error() {} };

const pdf = await textPdf(1);

const ports = nodePorts(root, { log: quiet });
ports.clock = { now: () => Date.now() + skew, setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms) };
const app = createApp(ports, {
  version: 'crash-test',
  baseUrlOverride: url,
  engineTimeouts: { read: 2_000, write: 2_000, document: 5_000 },
  engineRetry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
  // The simulator finishes what it received at once: an uncertain POST need not settle for 20 s.
  settleMs: 300,
});
const h = app.handlers;
// The cipher's key is new in every process: store the token again before anything calls out
// (the clerk confirms main's questions: the token, the environment and the retention when they change).
ports.dialogs.confirmEverything();
await h['settings.setToken']('sandbox', token);
await h['settings.update']({ environment: 'sandbox', retentionDays: mode === 'purge' ? 365 : 0 });
process.stdout.write('ready\n');

const ignore = () => undefined;
const { store, documents } = app.internals;

async function downloadMissing(): Promise<void> {
  for (const row of await store.requests.byStatus(['done'])) {
    if (row.documentsState !== 'ready' && row.purgedAt === null)
      await documents.download(row.id).catch(ignore);
  }
}

async function submitOne(n: number): Promise<void> {
  const documents = { $5: { name: 'identita.pdf', data: pdf }, $6: { name: 'tessera.pdf', data: pdf } };
  await sendDraft(app, await congedoDraft(app, { fields: { $1: `Rossi${n}` }, documents }));
}

await app.start();
if (mode === 'verify') {
  await h['requests.refreshAll']().catch(ignore);
  await downloadMissing();
  await app.close();
  process.stdout.write('verified\n');
  process.exit(0);
}
for (let n = 0; ; n++) {
  if (mode === 'work') await submitOne(Math.floor(random() * 1e6)).catch(ignore);
  await h['requests.refreshAll']().catch(ignore);
  await downloadMissing();
  if (mode === 'purge') await app.internals.retention.run().catch(ignore);
  if (mode === 'purge' && n > 20) await new Promise((r) => setTimeout(r, 50));
}
