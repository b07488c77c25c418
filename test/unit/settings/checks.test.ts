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
    ['\\\\server\\condivisione', /cartelle di rete/],
    ['\\\\192.168.1.5\\scansioni', /cartelle di rete/],
    ['//server/condivisione', /cartelle di rete/],
    ['\\\\?\\UNC\\server\\share', /cartelle di rete/],
    ['\\\\.\\C:\\Archivio', /cartelle di rete/],
    ['scansioni', /percorso completo/],
    ['./Archivio', /percorso completo/],
    ['..\\Archivio', /percorso completo/],
    ['C:Archivio', /percorso completo/],
    ['\\Archivio', /percorso completo/],
    ['', /Scegliete una cartella/],
    ['/tmp/a\0b', /non valido/],
  ])('may not be %j', (path, message) => {
    expect(folderProblem(path)).toMatch(message);
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
    ['http://203.0.113.9/eSCL', /rete locale/],
    ['http://8.8.8.8/eSCL', /rete locale/],
    ['http://172.32.0.1/eSCL', /rete locale/],
    ['http://127.0.0.1:4010/eSCL', /rete locale/],
    ['http://[::1]/eSCL', /rete locale/],
    ['http://[2001:db8::1]/eSCL', /rete locale/],
    ['http://[::ffff:8.8.8.8]/eSCL', /rete locale/],
    ['http://scanner.local/eSCL', /non con un nome/],
    ['http://attacker.example/eSCL', /non con un nome/],
    ['http://user:pw@192.168.1.20/eSCL', /credenziali/],
    ['ftp://192.168.1.20/', /http:\/\/ o https:\/\//],
    ['non è un indirizzo', /non valido/],
  ])('may not be %s', (url, message) => {
    expect(scannerAddressProblem(url)).toMatch(message);
  });

  it('accepts an IPv4-mapped address only when the IPv4 one is local', () => {
    expect(scannerAddressProblem('http://[::ffff:192.168.1.20]/eSCL')).toBeNull();
  });
});
