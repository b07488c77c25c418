import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupPlace } from '../../../../common/validators/belfiore.ts';

describe('belfiore place lookup', () => {
  it.each([
    ['H501', 'Roma'],
    ['D969', 'Genova'],
    ['A562', 'San Giuliano Terme'],
    ['Z129', 'Romania'],
    ['Z100', 'Albania'],
  ])('names %s as %s', async (code, name) => {
    expect(await lookupPlace(code)).toBe(name);
  });

  it('accepts lower case and surrounding spaces', async () => {
    expect(await lookupPlace(' h501 ')).toBe('Roma');
  });

  it('still names comuni that no longer exist, as birth certificates do', async () => {
    expect(await lookupPlace('A002')).toBe('Abbadia Sopra Adda');
  });

  it('answers null for unknown or malformed codes', async () => {
    expect(await lookupPlace('Z999')).toBeNull();
    expect(await lookupPlace('A000')).toBeNull();
    expect(await lookupPlace('ROMA')).toBeNull();
    expect(await lookupPlace('')).toBeNull();
  });

  it('serves concurrent lookups from one load of the table', async () => {
    expect(await Promise.all(['H501', 'F205', 'L219'].map(lookupPlace))).toEqual([
      'Roma',
      'Milano',
      'Torino',
    ]);
  });

  it('keeps the place table out of the synchronous validators, so bundlers can split it', () => {
    const folder = join(import.meta.dirname, '../../../../common/validators');
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(folder, file), 'utf8');
      const staticImports = source.match(/^import\s+(?!type\b)[^;]*from\s+'[^']*belfiore[^']*'/gm) ?? [];
      expect(staticImports, file).toEqual([]);
      if (file !== 'belfiore.ts') expect(source, file).not.toContain('@marketto/belfiore');
    }
  });
});
