import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors.ts';
import { EsclScanner } from '../../../main/scanning/escl.ts';
import { startEsclResponder, type EsclResponder } from '../../support/escl.ts';

/* What a network scanner, or something posing as one on the office's network, can make main hold. */

let device: EsclResponder;
beforeEach(async () => {
  device = await startEsclResponder({ adf: 'simplex', sheets: 40 });
});
afterEach(async () => {
  await device.close();
});

const scanner = (extra: Partial<ConstructorParameters<typeof EsclScanner>[0]> = {}) =>
  new EsclScanner({ devices: () => [{ url: device.origin }], retryDelayMs: 20, busyWaitMs: 2000, ...extra });
const id = () => `escl:${device.root}`;
const feeder = { resolution: 150, mode: 'gray', source: 'adf' } as const;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('eSCL limits', () => {
  it('stops a feeder that never runs out, at the page limit, and frees the device', async () => {
    const error = await failure(scanner({ maxPages: 5 }).scan(id(), feeder));
    expect(error.message).toMatch(/superato 5 pagine/);
    expect(device.jobs[0]!.delivered).toBe(5);
    expect(device.deleted).toHaveLength(1);
  });

  it('stops a job whose pages together pass the job limit', async () => {
    const error = await failure(scanner({ maxJobBytes: 20_000 }).scan(id(), feeder));
    expect(error.message).toMatch(/La scansione supera/);
    expect(device.jobs[0]!.delivered).toBeLessThan(40);
  });

  it('refuses a page sent without Content-Length as soon as it passes the page limit', async () => {
    device.faults.pages = 'endless';
    const started = Date.now();
    const error = await failure(
      scanner({ maxPageBytes: 256 * 1024, requestTimeoutMs: 15_000 }).scan(id(), feeder),
    );
    expect(error.message).toMatch(/Pagina troppo grande/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('still takes chunked pages under the limit', async () => {
    device.faults.pages = 'chunked';
    device.options.sheets = 2;
    const pages = await scanner().scan(id(), feeder);
    expect(pages).toHaveLength(2);
  });

  it('checks an XML answer’s size while reading it', async () => {
    device.faults.padCapabilities = 3 * 1024 * 1024;
    const error = await failure(scanner().list());
    expect(error.message).toMatch(/troppo grande/);
  });

  it('never follows a redirect away from the configured device', async () => {
    let hits = 0;
    const elsewhere = createServer((_req, res) => {
      hits++;
      res.writeHead(200).end('<x/>');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      device.faults.redirectTo = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/eSCL/ScannerCapabilities`;
      await failure(scanner().list());
      expect(hits).toBe(0);
    } finally {
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });
});
