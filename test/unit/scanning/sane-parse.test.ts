import { describe, expect, it } from 'vitest';
import {
  nativeCapabilities,
  parseSaneDeviceList,
  parseSaneOptions,
  scanArguments,
} from '../../../main/scanning/sane.ts';

/* What scanimage prints, as real backends print it. */

const EPSON_A = `
All options specific to device \`epsonds:libusb:001:004':
  Scan Mode:
    --source Flatbed|ADF Front|ADF Duplex [Flatbed]
        Selects the scan source (such as a document-feeder).
    --mode Lineart|Gray|Color [Color]
        Selects the scan mode (e.g., lineart, monochrome, or color).
    --depth 1|8 [8]
        Number of bits per sample.
    --resolution 75|100|150|200|300|600|1200dpi [200]
        Sets the resolution of the scanned image.
  Geometry:
    -l 0..215.9mm [0]
        Top-left x position of scan area.
    --eject [inactive]
    --adf-skew[=(yes|no)] [inactive]
`;

describe('scanimage output', () => {
  it('reads the device list printed with -f "%d\\t%v\\t%m\\t%t%n"', () => {
    const text =
      'epsonds:libusb:001:004\tEpson\tDS-530\tsheetfed scanner\n' +
      'airscan:e0:HP OfficeJet 8010 [A1B2C3]\tWSD\tHP OfficeJet 8010 [A1B2C3]\tip scanner\n' +
      'test:0\tNoname\tfrontend-tester\tvirtual device\n\n';
    expect(parseSaneDeviceList(text)).toEqual([
      { id: 'epsonds:libusb:001:004', name: 'Epson DS-530' },
      { id: 'airscan:e0:HP OfficeJet 8010 [A1B2C3]', name: 'WSD HP OfficeJet 8010 [A1B2C3]' },
      { id: 'test:0', name: 'frontend-tester' },
    ]);
    expect(parseSaneDeviceList('')).toEqual([]);
  });

  it('reads lists, ranges, current values and inactive options from -A', () => {
    const options = parseSaneOptions(EPSON_A);
    expect(options.get('source')).toEqual({
      name: 'source',
      values: ['Flatbed', 'ADF Front', 'ADF Duplex'],
      range: null,
      current: 'Flatbed',
      inactive: false,
    });
    expect(options.get('resolution')!.values).toEqual(['75', '100', '150', '200', '300', '600', '1200']);
    expect(options.get('l')!.range).toEqual({ min: 0, max: 215.9 });
    expect(options.get('adf-skew')).toMatchObject({ values: ['yes', 'no'], inactive: true, current: null });
  });

  it('reads the test backend help (a resolution range, a feeder named in full)', () => {
    const options = parseSaneOptions(`
    --mode Gray|Color [Gray]
    --resolution 1..1200dpi (in steps of 1) [50]
    --source Flatbed|Automatic Document Feeder [Flatbed]
    --test-picture Solid black|Solid white|Color pattern|Grid [Solid black]`);
    expect(options.get('resolution')).toMatchObject({
      values: [],
      range: { min: 1, max: 1200 },
      current: '50',
    });
    expect(options.get('source')!.values).toEqual(['Flatbed', 'Automatic Document Feeder']);
    expect(options.get('test-picture')!.values).toHaveLength(4);
  });
});

describe('scanimage arguments from the device vocabulary', () => {
  const native = nativeCapabilities(parseSaneOptions(EPSON_A));

  it('maps the device modes and sources to ours', () => {
    expect(native.capabilities).toEqual({
      resolutions: [75, 100, 150, 200, 300, 600, 1200],
      modes: ['color', 'gray', 'lineart'],
      sources: ['flatbed', 'adf', 'adf-duplex'],
      duplex: true,
    });
  });

  it('asks in the device words, one page from the glass', () => {
    expect(
      scanArguments(
        'epsonds:libusb:001:004',
        { resolution: 300, mode: 'lineart', source: 'flatbed' },
        native,
      ),
    ).toEqual([
      '-d',
      'epsonds:libusb:001:004',
      '--format=png',
      '--mode=Lineart',
      '--resolution=300',
      '--source=Flatbed',
      '--batch-count=1',
    ]);
    expect(scanArguments('d', { resolution: 250, mode: 'color', source: 'adf-duplex' }, native)).toEqual([
      '-d',
      'd',
      '--format=png',
      '--mode=Color',
      '--resolution=200',
      '--source=ADF Duplex',
    ]);
  });

  it('refuses a source the device lacks', () => {
    const flatOnly = nativeCapabilities(parseSaneOptions('    --mode Gray|Color [Gray]\n'));
    expect(flatOnly.capabilities.sources).toEqual(['flatbed']);
    expect(() => scanArguments('d', { resolution: 300, mode: 'gray', source: 'adf' }, flatOnly)).toThrow(
      /caricatore automatico/,
    );
  });
});
