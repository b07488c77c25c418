import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors.ts';
import { SaneScanner, SCANIMAGE_MISSING } from '../../../main/scanning/sane.ts';
import { CompositeScanner } from '../../../main/scanning/scanner.ts';
import { tempDir } from '../../support/tmp.ts';

/* Real scans through Debian's scanimage and SANE's `test` backend (sane-utils, installed by .ci/run). */

const scanner = () => new SaneScanner({ extraDevices: ['test'], tempDir: tempDir() });

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('SANE scanner (scanimage, test backend)', () => {
  it('offers the configured test device with the capabilities scanimage reports', async () => {
    const devices = await scanner().list();
    const test = devices.find((d) => d.id === 'sane:test');
    expect(test).toBeDefined();
    expect(test!.backend).toBe('sane');
    expect(test!.capabilities.modes).toEqual(['color', 'gray']);
    expect(test!.capabilities.sources).toEqual(['flatbed', 'adf']);
    expect(test!.capabilities.duplex).toBe(false);
    expect(test!.capabilities.resolutions).toContain(300);
    expect(test!.capabilities.resolutions.at(-1)).toBe(1200);
  });

  it('scans one colour page from the flatbed at the asked resolution, with progress', async () => {
    const progress: number[] = [];
    const pages = await scanner().scan(
      'sane:test',
      { resolution: 100, mode: 'color', source: 'flatbed' },
      { onProgress: (p) => progress.push(p.percent ?? 0) },
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]!.mime).toBe('image/png');
    const meta = await sharp(pages[0]!.bytes).metadata();
    expect(meta.format).toBe('png');
    // The test backend scans 80 × 100 mm by default: at 100 dpi, about 315 × 394 pixels.
    expect(meta.width).toBeGreaterThanOrEqual(313);
    expect(meta.width).toBeLessThanOrEqual(316);
    expect(meta.height).toBeGreaterThanOrEqual(392);
    expect(meta.height).toBeLessThanOrEqual(395);
    expect(meta.channels).toBe(3);
    expect(progress.at(-1)).toBe(100);
  });

  it('scans in grey', async () => {
    const [page] = await scanner().scan('sane:test', { resolution: 75, mode: 'gray', source: 'flatbed' });
    const meta = await sharp(page!.bytes).metadata();
    expect(meta.channels).toBe(1);
  });

  it('empties the document feeder in batch mode (the test feeder holds 10 sheets)', async () => {
    const pages: number[] = [];
    const result = await scanner().scan(
      'sane:test',
      { resolution: 50, mode: 'gray', source: 'adf' },
      { onProgress: (p) => pages.push(p.page) },
    );
    expect(result).toHaveLength(10);
    expect(Math.max(...pages)).toBeGreaterThanOrEqual(10);
  });

  it('refuses a source the device does not have, in Italian', async () => {
    const error = await failure(
      scanner().scan('sane:test', { resolution: 100, mode: 'color', source: 'adf-duplex' }),
    );
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/fronte-retro/);
  });

  it('reports a device that does not exist', async () => {
    const error = await failure(
      scanner().scan('sane:nosuchdevice', { resolution: 100, mode: 'color', source: 'flatbed' }),
    );
    expect(error.code).toBe('scanner_unavailable');
    expect(error.details?.reason).toBe('no_device');
  });

  it('says what to install when scanimage is missing', async () => {
    const missing = new SaneScanner({ command: 'scanimage-that-is-not-installed' });
    const error = await failure(missing.list());
    expect(error.code).toBe('scanner_unavailable');
    expect(error.details?.reason).toBe('missing_tool');
    expect(error.message).toBe(SCANIMAGE_MISSING);
    const survey = await new CompositeScanner([missing]).survey();
    expect(survey.devices).toEqual([]);
    expect(survey.problems).toEqual([
      { backend: 'sane', reason: 'missing_tool', message: SCANIMAGE_MISSING },
    ]);
  });

  it('lists nothing (and no error) when no scanner is connected and none is configured', async () => {
    // `scanimage -L` finds nothing in CI: the test backend is not enabled in dll.conf there.
    const devices = await new SaneScanner().list();
    expect(devices.filter((d) => d.id === 'sane:test')).toEqual([]);
  });

  it('is cancelled with an AbortSignal, killing scanimage', async () => {
    const slow = new SaneScanner({ extraDevices: ['test'], tempDir: tempDir() });
    const controller = new AbortController();
    const started = Date.now();
    // 1200 dpi colour of the whole test glass takes seconds: abort it as soon as it starts.
    const scan = slow.scan(
      'sane:test',
      { resolution: 1200, mode: 'color', source: 'adf' },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    const error = await failure(scan);
    expect(error.details?.reason).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
