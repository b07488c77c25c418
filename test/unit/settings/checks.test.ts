import { describe, expect, it } from 'vitest';
import { folderProblem, scannerAddressProblem } from '../../../main/settings/checks.ts';

describe('a folder of the app', () => {
  it.each([
    '/home/ufficio/Archivio',
    '/Users/caf/Documents/Sportello',
    'C:\\Users\\Caf\\Documents\\Sportello',
    'D:/Archivio',
    'Z:\\Scansioni',
  ])('may be %s', (path) => {
    expect(folderProblem(path)).toBeNull();
  });

  it.each([
    ['\\\\server\\condivisione', 'network'],
    ['\\\\192.168.1.5\\scansioni', 'network'],
    ['//server/condivisione', 'network'],
    ['\\\\?\\UNC\\server\\share', 'network'],
    ['\\\\.\\C:\\Archivio', 'network'],
    ['scansioni', 'relative'],
    ['./Archivio', 'relative'],
    ['..\\Archivio', 'relative'],
    ['C:Archivio', 'relative'],
    ['\\Archivio', 'relative'],
    ['', 'empty'],
    ['/tmp/a\0b', 'invalid'],
  ])('may not be %j (%s)', (path, reason) => {
    expect(folderProblem(path)?.reason).toBe(reason);
  });
});

describe('a network scanner’s address', () => {
  it.each([
    'http://192.168.1.20/eSCL',
    'https://10.0.0.7:8443/eSCL',
    'http://172.16.4.2',
    'http://172.31.255.254/eSCL',
    'http://169.254.10.20/eSCL',
    'http://[fe80::1]/eSCL',
    'http://[fd12:3456::20]/eSCL',
  ])('may be %s', (url) => {
    expect(scannerAddressProblem(url)).toBeNull();
  });

  it.each([
    ['http://203.0.113.9/eSCL', 'not_local'],
    ['http://8.8.8.8/eSCL', 'not_local'],
    ['http://172.32.0.1/eSCL', 'not_local'],
    ['http://127.0.0.1:4010/eSCL', 'not_local'],
    ['http://[::1]/eSCL', 'not_local'],
    ['http://[2001:db8::1]/eSCL', 'not_local'],
    ['http://[::ffff:8.8.8.8]/eSCL', 'not_local'],
    ['http://scanner.local/eSCL', 'host_name'],
    ['http://attacker.example/eSCL', 'host_name'],
    ['http://user:pw@192.168.1.20/eSCL', 'credentials'],
    ['ftp://192.168.1.20/', 'protocol'],
    ['non è un indirizzo', 'invalid'],
  ])('may not be %s (%s)', (url, reason) => {
    expect(scannerAddressProblem(url)?.reason).toBe(reason);
  });

  it('names the host that is not on the office’s network', () => {
    expect(scannerAddressProblem('http://8.8.8.8/eSCL')).toMatchObject({
      reason: 'not_local',
      host: '8.8.8.8',
    });
  });

  it('accepts an IPv4-mapped address only when the IPv4 one is local', () => {
    expect(scannerAddressProblem('http://[::ffff:192.168.1.20]/eSCL')).toBeNull();
  });
});
