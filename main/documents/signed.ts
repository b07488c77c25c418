import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/*
 * Files signed with CAdES (`x.pdf.p7m`), as Italian administrations send them: a CMS SignedData
 * that carries the signed file inside (an attached signature). Its content is taken out so the
 * clerk can view and print it; the signature is not checked here (that needs the trusted lists of
 * the qualified signers): the signed original is kept beside it for the tools that do.
 *
 * The bytes come from outside: asn1js parses under limits (depth, node count, content length)
 * and pkijs only maps what was parsed onto the CMS structures, so a truncated, nested, lying or
 * enormous file ends as `unreadable`, never as an exception or an allocation of its claim.
 */

export type SignedContent =
  /** The signed file, as the signer's software encapsulated it. */
  | { kind: 'content'; bytes: Uint8Array }
  /** A valid SignedData that carries no content: the signature of a file sent apart. */
  | { kind: 'detached' }
  | { kind: 'unreadable'; problem: string };

/** Only ever parsed, never inflated: the nesting of the CMS structures and a few chains of certificates. */
const MAX_DEPTH = 64;
// A constructed OCTET STRING comes in chunks (often of 1 000 bytes): the node count follows the size.
const BYTES_PER_NODE = 256;
const MIN_NODES = 20_000;

/** `-----BEGIN PKCS7-----`, `-----BEGIN CMS-----` and the like, with base64 between. */
const PEM = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----\s*$/u;
const BASE64 = /^[A-Za-z0-9+/=\s]+$/u;

/** The content of a `.p7m`: DER or BER, or the same in base64, bare or PEM-armoured. */
export function signedContent(bytes: Uint8Array): SignedContent {
  const der = unwrapText(bytes);
  if (!der) return { kind: 'unreadable', problem: 'not DER, base64 or PEM' };
  const parsed = asn1js.fromBER(der, {
    maxDepth: MAX_DEPTH,
    maxNodes: Math.max(MIN_NODES, Math.ceil(der.byteLength / BYTES_PER_NODE)),
    maxContentLength: der.byteLength,
    // The content is taken as bytes: asn1js must not try to read a PDF as ASN.1.
    parseEmbedded: false,
    copyInput: false,
  });
  if (parsed.offset === -1) return { kind: 'unreadable', problem: `BER: ${parsed.result.error}` };
  // Trailing bytes after the structure: some signers pad with zeros or a newline; more is not CMS.
  if (der.subarray(parsed.offset).some((b) => b !== 0 && b !== 0x0a && b !== 0x0d))
    return { kind: 'unreadable', problem: 'bytes after the CMS structure' };
  let signed: pkijs.SignedData;
  try {
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA)
      return { kind: 'unreadable', problem: `content type ${info.contentType}` };
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (error) {
    return { kind: 'unreadable', problem: error instanceof Error ? error.message : String(error) };
  }
  const content = signed.encapContentInfo.eContent;
  if (!content) return { kind: 'detached' };
  if (!(content instanceof asn1js.OctetString)) return { kind: 'unreadable', problem: 'eContent type' };
  return { kind: 'content', bytes: octets(content) };
}

/**
 * The bytes of an OCTET STRING, primitive or constructed (BER splits a long content into chunks,
 * which may themselves be constructed).
 */
function octets(value: asn1js.OctetString): Uint8Array {
  if (!value.idBlock.isConstructed) return value.valueBlock.valueHexView;
  const chunks: Uint8Array[] = [];
  const collect = (block: asn1js.AsnType) => {
    if (!(block instanceof asn1js.OctetString)) return;
    if (block.idBlock.isConstructed) for (const inner of block.valueBlock.value) collect(inner);
    else chunks.push(block.valueBlock.valueHexView);
  };
  collect(value);
  return Buffer.concat(chunks);
}

/** DER as it is, or the bytes a base64 text (bare or PEM) stands for; null when neither. */
function unwrapText(bytes: Uint8Array): Uint8Array | null {
  if (bytes[0] === 0x30) return bytes;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').trim();
  const body = PEM.exec(text)?.[2] ?? text;
  if (!body || !BASE64.test(body)) return null;
  const der = Buffer.from(body.replace(/\s+/gu, ''), 'base64');
  return der[0] === 0x30 ? der : null;
}
