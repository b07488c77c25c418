/*
 * One measurement of the document pipeline, in a process of its own so that its peak memory is
 * its own: `node --expose-gc bench/document-child.ts <app|floor> <base url> <remote id>`.
 * Prints one JSON line: { ms, peakExtraBytes, files }.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { nodePorts } from '../main/adapters/node/node-ports.ts';
import { createApp } from '../main/app.ts';
import { benchDir, requestRow, silentLog, stillClock } from './support.ts';

const [mode, baseUrl, remoteId, workDir] = process.argv.slice(2);
if (!mode || !baseUrl || !remoteId) throw new Error('usage: document-child.ts <app|floor> <url> <remoteId>');
const TOKEN = 'bench-token-0123456789';
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function settle(): Promise<number> {
  gc();
  await new Promise((r) => setTimeout(r, 20));
  gc();
  return process.memoryUsage().rss;
}

/** The floor: what any client must do with this answer — read it, parse it, decode it, write it. */
async function floor(dir: string): Promise<{ ms: number; files: number; before: number }> {
  const before = await settle();
  const started = performance.now();
  const response = await fetch(`${baseUrl}/documento/${remoteId}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  const envelope = JSON.parse(await response.text()) as { data: { file: string } };
  const bytes = Buffer.from(envelope.data.file, 'base64');
  const handle = await open(join(dir, 'floor.zip'), 'wx');
  await handle.writeFile(bytes);
  await handle.sync();
  await handle.close();
  return { ms: performance.now() - started, files: 1, before };
}

/** The app: the real DocumentService (engine client, schema, unzip under limits, atomic archive write). */
async function app(dir: string): Promise<{ ms: number; files: number; before: number }> {
  const ports = nodePorts(dir, { log: silentLog });
  ports.clock = stillClock;
  const sportello = createApp(ports, {
    version: 'bench',
    baseUrlOverride: baseUrl,
    engineTimeouts: { document: 120_000 },
  });
  // The clerk confirms main's questions: the token, then the switch to Sandbox.
  ports.dialogs.confirmEverything();
  await sportello.handlers['settings.setToken']('sandbox', TOKEN);
  await sportello.handlers['settings.update']({ environment: 'sandbox' });
  const id = crypto.randomUUID();
  await sportello.internals.store.requests.insert(
    requestRow({
      id,
      remoteId: remoteId!,
      status: 'done',
      remoteState: 'Visura evasa',
      completedAt: Date.now(),
    }),
  );
  const before = await settle();
  const started = performance.now();
  await sportello.internals.documents.download(id);
  const ms = performance.now() - started;
  const files = (await sportello.internals.store.documents.of(id)).length;
  await sportello.close();
  return { ms, files, before };
}

const dir = workDir ?? benchDir();
const result = mode === 'app' ? await app(dir) : await floor(dir);
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(
  `${JSON.stringify({ ms: result.ms, peakExtraBytes: Math.max(0, peak - result.before), files: result.files })}\n`,
);
