import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors.ts';
import {
  CompositeScanner,
  nearestResolution,
  resolutionsInRange,
  scanError,
  type ScannerAdapter,
  type ScannerBackend,
  type ScannerDevice,
} from '../../../main/scanning/scanner.ts';

function device(backend: ScannerBackend, id: string): ScannerDevice {
  return {
    id: `${backend}:${id}`,
    name: id,
    backend,
    capabilities: { resolutions: [300], modes: ['color'], sources: ['flatbed'], duplex: false },
  };
}

function fake(
  backend: ScannerBackend,
  devices: ScannerDevice[] | Error,
  scans: string[] = [],
): ScannerAdapter {
  return {
    backend,
    list: async () => {
      if (devices instanceof Error) throw devices;
      return devices;
    },
    scan: async (id) => {
      scans.push(id);
      return [{ bytes: new Uint8Array([1]), mime: 'image/png' }];
    },
  };
}

describe('one scanner port over every backend', () => {
  it('merges the devices of all backends', async () => {
    const scanner = new CompositeScanner([
      fake('sane', [device('sane', 'test')]),
      fake('escl', [device('escl', 'http://a/eSCL'), device('escl', 'http://b/eSCL')]),
    ]);
    expect((await scanner.list()).map((d) => d.id)).toEqual([
      'sane:test',
      'escl:http://a/eSCL',
      'escl:http://b/eSCL',
    ]);
  });

  it('keeps the other backends when one fails, and says why that one found nothing', async () => {
    const scanner = new CompositeScanner([
      fake('sane', scanError('missing_tool', 'Programma scanimage non trovato: installate sane-utils')),
      fake('wia', new Error('unexpected')),
      fake('escl', [device('escl', 'http://a/eSCL')]),
    ]);
    const survey = await scanner.survey();
    expect(survey.devices.map((d) => d.id)).toEqual(['escl:http://a/eSCL']);
    expect(survey.problems).toEqual([
      {
        backend: 'sane',
        reason: 'missing_tool',
        message: 'Programma scanimage non trovato: installate sane-utils',
      },
      { backend: 'wia', reason: 'failed', message: 'Scanner wia: errore imprevisto' },
    ]);
  });

  it('sends a scan to the backend named by the device id', async () => {
    const sane: string[] = [];
    const escl: string[] = [];
    const scanner = new CompositeScanner([fake('sane', [], sane), fake('escl', [], escl)]);
    await scanner.scan('escl:http://a:8080/eSCL', { resolution: 300, mode: 'color', source: 'flatbed' });
    expect(escl).toEqual(['escl:http://a:8080/eSCL']);
    expect(sane).toEqual([]);
    const error = await scanner
      .scan('wia:x', { resolution: 300, mode: 'color', source: 'flatbed' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details?.reason).toBe('no_device');
  });

  it('picks the usual resolutions out of a range and the nearest offered one', () => {
    expect(resolutionsInRange(50, 600)).toEqual([75, 100, 150, 200, 300, 400, 600]);
    expect(resolutionsInRange(250, 280)).toEqual([280]);
    expect(nearestResolution([100, 240, 320, 600], 300)).toBe(320);
    expect(nearestResolution([], 300)).toBe(300);
  });
});
