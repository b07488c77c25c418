import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PDFDocument } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import { AppError } from '../../../main/errors.ts';
import { EsclScanner, type EsclDeviceConfig } from '../../../main/scanning/escl.ts';
import { CompositeScanner } from '../../../main/scanning/scanner.ts';
import { startEsclResponder, type EsclResponder } from '../../support/escl.ts';

/* Real HTTP to an eSCL responder on 127.0.0.1 (test/support/escl.ts). */

let device: EsclResponder;
let configured: EsclDeviceConfig[];

beforeEach(async () => {
  device = await startEsclResponder();
  configured = [{ url: device.origin }];
});
afterEach(async () => {
  await device.close();
});

const scanner = (extra: Partial<ConstructorParameters<typeof EsclScanner>[0]> = {}) =>
  new EsclScanner({ devices: () => configured, retryDelayMs: 20, busyWaitMs: 2000, ...extra });

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('eSCL network scanner', () => {
  it('lists a configured device with what its capabilities say', async () => {
    const [found, ...rest] = await scanner().list();
    expect(rest).toEqual([]);
    expect(found).toEqual({
      id: `escl:${device.root}`,
      name: 'Sportello TestScan 3000',
      backend: 'escl',
      capabilities: {
        resolutions: [75, 100, 150, 200, 300, 600],
        modes: ['color', 'gray', 'lineart'],
        sources: ['flatbed', 'adf', 'adf-duplex'],
        duplex: true,
      },
    });
  });

  it('scans one JPEG page from the glass with the asked settings', async () => {
    const id = `escl:${device.root}`;
    const pages = await scanner().scan(id, { resolution: 100, mode: 'gray', source: 'flatbed' });
    expect(pages).toHaveLength(1);
    expect(pages[0]!.mime).toBe('image/jpeg');
    const meta = await sharp(pages[0]!.bytes).metadata();
    expect(meta.width).toBe(276);
    expect(device.jobs).toHaveLength(1);
    expect(device.jobs[0]!.settings).toMatchObject({
      InputSource: 'Platen',
      ColorMode: 'Grayscale8',
      XResolution: '100',
      YResolution: '100',
      DocumentFormatExt: 'image/jpeg',
      Duplex: 'false',
    });
    // A flatbed job is not asked for a second page.
    expect(device.requests.filter((r) => r.endsWith('/NextDocument'))).toHaveLength(1);
  });

  it('empties the feeder, both sides of each sheet in duplex, pages in order', async () => {
    const progress: number[] = [];
    const pages = await scanner().scan(
      `escl:${device.root}`,
      { resolution: 75, mode: 'color', source: 'adf-duplex' },
      { onProgress: (p) => progress.push(p.page) },
    );
    expect(pages).toHaveLength(6);
    const colours = await Promise.all(pages.map(async (p) => (await sharp(p.bytes).stats()).dominant));
    // The responder paints pages red, green, blue, yellow, red, …
    expect(colours[0]!.r).toBeGreaterThan(200);
    expect(colours[1]!.g).toBeGreaterThan(140);
    expect(colours[2]!.b).toBeGreaterThan(200);
    expect(device.jobs[0]!.settings).toMatchObject({
      InputSource: 'Feeder',
      Duplex: 'true',
      ColorMode: 'RGB24',
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('takes PDF pages when the device only offers PDF', async () => {
    await device.close();
    device = await startEsclResponder({ formats: ['application/pdf'], adf: 'simplex', sheets: 2 });
    configured = [{ url: device.root, name: 'Ufficio' }];
    const [listed] = await scanner().list();
    expect(listed!.name).toBe('Ufficio');
    expect(listed!.capabilities.duplex).toBe(false);
    const pages = await scanner().scan(listed!.id, { resolution: 150, mode: 'color', source: 'adf' });
    expect(pages.map((p) => p.mime)).toEqual(['application/pdf', 'application/pdf']);
    const pdf = await PDFDocument.load(pages[0]!.bytes);
    expect(pdf.getPageCount()).toBe(1);
  });

  it('waits while the device is busy or the page is not ready yet (503)', async () => {
    device.faults.busy = 2;
    device.faults.notReady = 2;
    const pages = await scanner().scan(`escl:${device.root}`, {
      resolution: 75,
      mode: 'color',
      source: 'flatbed',
    });
    expect(pages).toHaveLength(1);
    expect(device.requests.filter((r) => r === 'POST /eSCL/ScanJobs')).toHaveLength(3);
  });

  it('gives up on a device that stays busy, saying so', async () => {
    device.faults.busy = 1000;
    const error = await failure(
      scanner({ busyWaitMs: 100 }).scan(`escl:${device.root}`, {
        resolution: 75,
        mode: 'color',
        source: 'flatbed',
      }),
    );
    expect(error.code).toBe('scanner_unavailable');
    expect(error.details?.reason).toBe('busy');
    expect(error.message).toMatch(/occupato/);
  });

  it('reports a paper jam in the feeder and cancels the job', async () => {
    device.faults.jamAfter = 1;
    const error = await failure(
      scanner().scan(`escl:${device.root}`, { resolution: 75, mode: 'color', source: 'adf' }),
    );
    expect(error.details?.reason).toBe('jammed');
    expect(error.message).toMatch(/inceppata/);
    expect(device.deleted).toEqual([device.jobs[0]!.id]);
  });

  it('reports an empty feeder', async () => {
    await device.close();
    device = await startEsclResponder({ sheets: 0 });
    configured = [{ url: device.origin }];
    const error = await failure(
      scanner().scan(`escl:${device.root}`, { resolution: 75, mode: 'color', source: 'adf' }),
    );
    expect(error.details?.reason).toBe('no_documents');
  });

  it('reports an unreachable device, and the composite keeps the other backends', async () => {
    const port = new URL(device.origin).port;
    await device.close();
    configured = [{ url: `http://127.0.0.1:${port}` }];
    const error = await failure(scanner().list());
    expect(error.details?.reason).toBe('no_device');
    const survey = await new CompositeScanner([scanner()]).survey();
    expect(survey.devices).toEqual([]);
    expect(survey.problems[0]).toMatchObject({ backend: 'escl', reason: 'no_device' });
    device = await startEsclResponder();
  });

  it('is cancelled with an AbortSignal and deletes the job on the device', async () => {
    device.faults.notReady = 1000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const error = await failure(
      scanner({ busyWaitMs: 60_000 }).scan(
        `escl:${device.root}`,
        { resolution: 75, mode: 'color', source: 'flatbed' },
        { signal: controller.signal },
      ),
    );
    expect(error.details?.reason).toBe('cancelled');
    expect(device.deleted).toHaveLength(1);
  });

  it('refuses to scan on a device that is not configured', async () => {
    const error = await failure(
      scanner().scan('escl:http://10.0.0.9/eSCL', { resolution: 75, mode: 'color', source: 'flatbed' }),
    );
    expect(error.details?.reason).toBe('no_device');
  });
});
