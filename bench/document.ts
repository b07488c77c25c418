import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildZip } from '../main/simulator/documents.ts';
import { benchDir, MB, median, remoteIdOf, type Figure } from './support.ts';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./document-child.ts', import.meta.url));

/** A PDF-shaped file of `size` bytes whose body is noise: the worst case for memory and inflate. */
function noisePdf(size: number, n: number): Buffer {
  const head = Buffer.from(`%PDF-1.4\n% documento ${n}\n1 0 obj<</Length ${size}>>stream\n`);
  const tail = Buffer.from('\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  return Buffer.concat([head, randomBytes(size - head.length - tail.length), tail]);
}

/** A GET /documento answer of about `targetMb` MB of JSON: a base64 zip of PDFs. */
export async function documentAnswer(targetMb = 30): Promise<{ body: Buffer; zipBytes: number }> {
  const zipBytes = Math.floor((targetMb * MB * 3) / 4);
  const files = 8;
  const entries = Array.from({ length: files }, (_, i) => ({
    name: `documento_${i + 1}.pdf`,
    data: noisePdf(Math.floor(zipBytes / files) - 200, i + 1),
  }));
  const zip = await buildZip(entries, new Date(Date.UTC(2026, 0, 1)));
  const body = Buffer.from(
    JSON.stringify({
      data: { nome: 'documento.zip', dimensione: zip.length, file: zip.toString('base64') },
      success: true,
      message: '',
      error: null,
    }),
  );
  return { body, zipBytes: zip.length };
}

async function measure(mode: 'app' | 'floor', url: string, id: string) {
  const dir = benchDir();
  try {
    const { stdout } = await run(process.execPath, ['--expose-gc', child, mode, url, id, dir], {
      maxBuffer: MB,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as {
      ms: number;
      peakExtraBytes: number;
      files: number;
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchDocuments(runs = 3): Promise<Figure[]> {
  const { body, zipBytes } = await documentAnswer(30);
  const id = remoteIdOf(1);
  const server = createServer((req, res) => {
    if (req.url !== `/documento/${id}`) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app: Awaited<ReturnType<typeof measure>>[] = [];
  const floor: Awaited<ReturnType<typeof measure>>[] = [];
  try {
    // Interleaved so that a noisy neighbour hurts both sides alike.
    for (let i = 0; i < runs; i++) {
      floor.push(await measure('floor', url, id));
      app.push(await measure('app', url, id));
    }
  } finally {
    server.close();
  }
  if (app.some((a) => a.files !== 8)) throw new Error('the document pipeline did not write the 8 files');
  const payloadMb = body.length / MB;
  const appMs = median(app.map((a) => a.ms));
  const floorMs = median(floor.map((a) => a.ms));
  const appMem = median(app.map((a) => a.peakExtraBytes)) / MB;
  const floorMem = median(floor.map((a) => a.peakExtraBytes)) / MB;
  const section = `documents (${payloadMb.toFixed(1)} MB answer, ${(zipBytes / MB).toFixed(1)} MB zip, 8 PDFs)`;
  return [
    {
      section,
      name: 'download → archive, time',
      value: appMs,
      unit: 'ms',
      baseline: { name: 'parse+decode+write', value: floorMs },
      target: { text: '≤ 1.5× floor', pass: appMs <= 1.5 * floorMs },
    },
    {
      section,
      name: 'peak extra RSS',
      value: appMem,
      unit: 'MB',
      baseline: { name: 'parse+decode+write', value: floorMem },
      target: {
        text: `≤ 2.5× payload (${(2.5 * payloadMb).toFixed(0)} MB)`,
        pass: appMem <= 2.5 * payloadMb,
      },
    },
  ];
}
