import { describe, expect, it } from 'vitest';
import { clientKey, mandatoCodeText, parseMandatoCode } from '../../../main/reading/mandato-code.ts';

const DRAFT = '3b241101-e2bb-4255-8caf-4136c566a962';

describe('the code printed on the app’s mandato', () => {
  it('carries the draft and the client’s key, and reads back to both', () => {
    const text = mandatoCodeText(DRAFT, 'RSSMRA85T10A562S');
    expect(parseMandatoCode(text)).toEqual({ draftId: DRAFT, clientKey: clientKey('RSSMRA85T10A562S') });
  });

  it('never carries the codice fiscale, only six characters of a hash of it', () => {
    const text = mandatoCodeText(DRAFT, 'RSSMRA85T10A562S');
    expect(text).not.toContain('RSSMRA');
    expect(clientKey('RSSMRA85T10A562S')).toMatch(/^[A-Z2-7]{6}$/);
  });

  it('gives one client one key however the CF is typed, and another client another', () => {
    expect(clientKey(' rssmra85t10a562s')).toBe(clientKey('RSSMRA85T10A562S'));
    expect(clientKey('RCCMNL83S18D969H')).not.toBe(clientKey('RSSMRA85T10A562S'));
  });

  it('stays in the QR code’s alphanumeric set (upper case, digits, / )', () => {
    expect(mandatoCodeText(DRAFT, 'RSSMRA85T10A562S')).toMatch(/^[0-9A-Z/]+$/);
  });

  it('is not fooled by someone else’s QR code', () => {
    expect(parseMandatoCode('https://example.com/ABC')).toBeNull();
    expect(parseMandatoCode('SPORTELLO/M1/123/ABCDEF')).toBeNull();
  });
});
