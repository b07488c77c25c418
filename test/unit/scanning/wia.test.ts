import { describe, expect, it } from 'vitest';
import {
  encodeCommand,
  parseWiaOutput,
  powershellArguments,
  psString,
  wiaDevices,
  wiaFailure,
  wiaListScript,
  wiaScanScript,
} from '../../../main/scanning/wia.ts';

/*
 * WIA runs only on Windows (powershell.exe and the WIA COM object): here the generated scripts and
 * the parsing of what they print are tested; the scan itself is not exercised on Linux.
 */

describe('WIA through PowerShell (Windows only: script generation and output parsing)', () => {
  it('quotes values as PowerShell single-quoted literals', () => {
    expect(psString('C:\\Temp\\sportello-wia-x')).toBe("'C:\\Temp\\sportello-wia-x'");
    expect(psString("D'Amico $(rm -rf)")).toBe("'D''Amico $(rm -rf)'");
    expect(psString('a’b')).toBe("'a’’b'");
  });

  it('builds a scan script for the feeder in duplex, grey, 200 dpi, saving PNG pages into the temp dir', () => {
    const script = wiaScanScript(
      '{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001',
      { resolution: 200, mode: 'gray', source: 'adf-duplex' },
      "C:\\Users\\o'neil\\AppData\\Local\\Temp\\sportello-wia-1",
    );
    expect(script).toContain("-eq '{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001'");
    expect(script).toContain('$select.Value = 5'); // feeder | duplex
    expect(script).toContain('@(6146, 2)'); // grey intent
    expect(script).toContain('@(6147, 200)');
    expect(script).toContain("$dir = 'C:\\Users\\o''neil\\AppData\\Local\\Temp\\sportello-wia-1'");
    expect(script).toContain("Transfer('{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}')");
    expect(script).toContain('$_.Exception.HResult -eq -2145320957'); // WIA_ERROR_PAPER_EMPTY ends the batch
  });

  it('builds a flatbed script that scans one page', () => {
    const script = wiaScanScript('dev', { resolution: 300, mode: 'color', source: 'flatbed' }, 'C:\\t');
    expect(script).toContain('$select.Value = 2');
    expect(script).toContain('if (-not $false) { break }');
    expect(script).toContain('@(6146, 1)');
  });

  it('passes the script as -EncodedCommand (UTF-16LE base64), never through a shell', () => {
    const script = wiaListScript();
    const args = powershellArguments(script);
    expect(args.slice(0, 5)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ]);
    expect(Buffer.from(args[5]!, 'base64').toString('utf16le')).toBe(script);
    expect(encodeCommand('è')).toBe(Buffer.from('è', 'utf16le').toString('base64'));
    expect(script).toContain('New-Object -ComObject WIA.DeviceManager');
  });

  it('reads the devices the listing script prints, ignoring other output', () => {
    const output = [
      'WARNING: something PowerShell says',
      '{"event":"device","id":"{6BDD}\\\\0000","name":"Canon LiDE 300","handling":0,"resolutions":[75,150,300,600],"intents":3}',
      '{"event":"device","id":"{6BDD}\\\\0001","name":"Brother ADS-1700W","handling":5,"resolutions":[50,600],"range":true,"intents":7}',
      '{not json',
      '{"event":"device","id":"{6BDD}\\\\0002","name":"HP Flat","handling":2,"resolutions":300}',
      '{"event":"done"}',
    ].join('\r\n');
    const devices = wiaDevices(parseWiaOutput(output));
    expect(devices).toEqual([
      {
        id: 'wia:{6BDD}\\0000',
        name: 'Canon LiDE 300',
        backend: 'wia',
        capabilities: {
          resolutions: [75, 150, 300, 600],
          modes: ['color', 'gray'],
          sources: ['flatbed'],
          duplex: false,
        },
      },
      {
        id: 'wia:{6BDD}\\0001',
        name: 'Brother ADS-1700W',
        backend: 'wia',
        capabilities: {
          resolutions: [75, 100, 150, 200, 300, 400, 600],
          modes: ['color', 'gray', 'lineart'],
          sources: ['adf', 'adf-duplex'],
          duplex: true,
        },
      },
      {
        id: 'wia:{6BDD}\\0002',
        name: 'HP Flat',
        backend: 'wia',
        capabilities: {
          resolutions: [300],
          modes: ['color', 'gray', 'lineart'],
          sources: ['flatbed'],
          duplex: false,
        },
      },
    ]);
  });

  it('turns WIA error codes into messages the clerk can act on', () => {
    const events = parseWiaOutput('{"event":"error","hresult":-2145320958,"message":"Paper jam"}');
    const jam = wiaFailure(events, { code: 1, stderr: '' });
    expect(jam.code).toBe('scanner_unavailable');
    expect(jam.details).toMatchObject({ reason: 'jammed', hresult: -2145320958 });
    expect(jam.message).toMatch(/inceppata/);
    const empty = wiaFailure(parseWiaOutput('{"event":"error","hresult":-2145320957,"message":"x"}'), {
      code: 1,
      stderr: '',
    });
    expect(empty.details?.reason).toBe('no_documents');
    const other = wiaFailure([], { code: 1, stderr: 'boom' });
    expect(other.details).toMatchObject({ reason: 'failed', message: 'boom' });
  });
});
