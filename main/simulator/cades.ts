import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/*
 * CAdES-BES signatures as Italian administrations attach them to their outputs (`x.pdf.p7m`): a
 * CMS SignedData holding the file, signed with a throwaway key and a self-signed certificate made
 * once per process. Prova's outputs must not pass for real documents, and these are not: no
 * qualified signer, no trusted list knows this certificate.
 */

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  /** id-aa-signingCertificateV2: what makes a CMS signature CAdES-BES. */
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

interface Signer {
  certificate: pkijs.Certificate;
  /** SHA-256 of the certificate's DER, for signingCertificateV2. */
  certificateHash: Uint8Array;
  /** Signs a SignedData's first signer with the throwaway key, which never leaves this closure. */
  sign: (data: pkijs.SignedData) => Promise<unknown>;
}

let signer: Promise<Signer> | undefined;

async function makeSigner(): Promise<Signer> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
  // The global WebCrypto: pkijs's default engine finds it there too.
  const keys = await globalThis.crypto.subtle.generateKey(algorithm, false, ['sign', 'verify']);
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ value: Date.now() % 2 ** 31 });
  for (const name of [certificate.issuer, certificate.subject]) {
    name.typesAndValues.push(
      new pkijs.AttributeTypeAndValue({
        type: OID.organization,
        value: new asn1js.Utf8String({ value: 'Simulatore Visengine (Prova)' }),
      }),
      new pkijs.AttributeTypeAndValue({
        type: OID.commonName,
        value: new asn1js.Utf8String({ value: 'Firma di prova, senza valore legale' }),
      }),
    );
  }
  certificate.notBefore.value = new Date(Date.UTC(2025, 0, 1));
  certificate.notAfter.value = new Date(Date.UTC(2045, 0, 1));
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);
  await certificate.sign(keys.privateKey, 'SHA-256');
  const der = new Uint8Array(certificate.toSchema(true).toBER(false));
  return {
    certificate,
    sign: (data) => data.sign(keys.privateKey, 0, 'SHA-256'),
    certificateHash: createHash('sha256').update(der).digest(),
  };
}

/** `content` signed as CAdES-BES, attached, DER-encoded: the bytes of `<name>.p7m`. */
export async function signCades(content: Uint8Array, signingTime: Date): Promise<Uint8Array> {
  const { certificate, certificateHash, sign } = await (signer ??= makeSigner());
  const digest = createHash('sha256').update(content).digest();
  const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: pkijs.ContentInfo.DATA,
      eContent: new asn1js.OctetString({ valueHex: content }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: certificate.issuer,
          serialNumber: certificate.serialNumber,
        }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: pkijs.ContentInfo.DATA })),
            attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: signingTime })),
            attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
            // SigningCertificateV2 { certs: [ ESSCertIDv2 { certHash } ] } (SHA-256, the default).
            attribute(
              OID.signingCertificateV2,
              new asn1js.Sequence({
                value: [
                  new asn1js.Sequence({
                    value: [
                      new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certificateHash })] }),
                    ],
                  }),
                ],
              }),
            ),
          ],
        }),
      }),
    ],
    certificates: [certificate],
  });
  await sign(signed);
  const info = new pkijs.ContentInfo({
    contentType: pkijs.ContentInfo.SIGNED_DATA,
    content: signed.toSchema(true),
  });
  return new Uint8Array(info.toSchema().toBER(false));
}
