import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { signedContent } from '../../../main/documents/signed.ts';
import { signCades } from '../../../main/simulator/cades.ts';

const pdf = (label: string) => Buffer.from(`%PDF-1.7\n% ${label}\n%%EOF\n`, 'latin1');
const SIGNED_DATA = '1.2.840.113549.1.7.2';
const DATA = '1.2.840.113549.1.7.1';

/**
 * A minimal SignedData written by hand, as some signers' software lays it out: the content as one
 * primitive OCTET STRING (pkijs writes chunks), or no content at all (a detached signature).
 */
function handMade(content: Uint8Array | null, contentType = SIGNED_DATA): Uint8Array {
  const encapsulated = new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: DATA }),
      ...(content
        ? [
            new asn1js.Constructed({
              idBlock: { tagClass: 3, tagNumber: 0 },
              value: [new asn1js.OctetString({ valueHex: content })],
            }),
          ]
        : []),
    ],
  });
  const signedData = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      new asn1js.Set({ value: [] }),
      encapsulated,
      new asn1js.Set({ value: [] }),
    ],
  });
  const info = new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: contentType }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [signedData] }),
    ],
  });
  return new Uint8Array(info.toBER(false));
}

const unreadable = (bytes: Uint8Array) => expect(signedContent(bytes).kind).toBe('unreadable');

describe('the content of a CAdES signed file', () => {
  it('takes out the PDF a CAdES-BES signature carries', async () => {
    const result = signedContent(await signCades(pdf('domanda'), new Date()));
    expect(result.kind).toBe('content');
    expect(result.kind === 'content' && Buffer.from(result.bytes).equals(pdf('domanda'))).toBe(true);
  });

  it('joins a large content written in chunks (a constructed OCTET STRING)', async () => {
    const large = Buffer.concat([pdf('grande'), Buffer.alloc(300_000, 0x41)]);
    const result = signedContent(await signCades(large, new Date()));
    expect(result.kind === 'content' && Buffer.from(result.bytes).equals(large)).toBe(true);
  });

  it('takes the content written as one primitive OCTET STRING', () => {
    const result = signedContent(handMade(pdf('primitiva')));
    expect(result.kind === 'content' && Buffer.from(result.bytes).equals(pdf('primitiva'))).toBe(true);
  });

  it('reads the signature in base64, bare or PEM-armoured', async () => {
    const der = Buffer.from(await signCades(pdf('testo'), new Date()));
    const base64 = der.toString('base64');
    const pem = `-----BEGIN PKCS7-----\r\n${base64.replace(/.{64}/gu, '$&\r\n')}\r\n-----END PKCS7-----\r\n`;
    for (const text of [base64, base64.replace(/.{76}/gu, '$&\n'), pem]) {
      const result = signedContent(Buffer.from(text, 'latin1'));
      expect(result.kind === 'content' && Buffer.from(result.bytes).equals(pdf('testo'))).toBe(true);
    }
  });

  it('gives the content of the outer layer of a file signed twice (it is itself signed)', async () => {
    const inner = await signCades(pdf('due firme'), new Date());
    const result = signedContent(await signCades(inner, new Date()));
    expect(result.kind === 'content' && Buffer.from(result.bytes).equals(inner)).toBe(true);
  });

  it('says a signature without content is detached', () => {
    expect(signedContent(handMade(null))).toEqual({ kind: 'detached' });
  });

  describe('hostile or broken files are unreadable, never an exception', () => {
    it('a truncated signature, cut anywhere', async () => {
      const der = await signCades(pdf('tagliato'), new Date());
      for (const cut of [1, 2, 10, 100, der.length - 300, der.length - 1]) unreadable(der.subarray(0, cut));
    });

    it('a length that claims gigabytes', () => {
      unreadable(Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x06, 0x09]));
      unreadable(Buffer.from([0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]));
    });

    it('a hundred thousand nested sequences, without exhausting the stack', () => {
      const nested = Buffer.alloc(200_000);
      for (let i = 0; i < nested.length; i += 2) nested.set([0x30, 0x80], i);
      unreadable(nested);
    });

    it('well-formed ASN.1 that is not SignedData, or not CMS at all', async () => {
      unreadable(handMade(pdf('dati'), DATA));
      unreadable(new Uint8Array(new asn1js.Sequence({ value: [new asn1js.Integer({ value: 7 })] }).toBER()));
      unreadable(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x07]));
    });

    it('bytes after the structure', async () => {
      const der = await signCades(pdf('coda'), new Date());
      unreadable(Buffer.concat([der, Buffer.from('MZ\x90\x00 un programma in coda', 'latin1')]));
      // Zeros and line ends after it are padding some signers leave.
      expect(signedContent(Buffer.concat([der, Buffer.from([0, 0, 0x0d, 0x0a])])).kind).toBe('content');
    });

    it('text that is not base64, PEM around garbage, and nothing', () => {
      unreadable(Buffer.from('questo non è un file firmato'));
      unreadable(Buffer.from('-----BEGIN PKCS7-----\nQUJD\n-----END PKCS7-----\n'));
      unreadable(new Uint8Array(0));
      unreadable(pdf('non firmato'));
    });
  });
});
