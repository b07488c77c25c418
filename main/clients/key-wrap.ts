/*
 * The cryptography of documents on file at every counter, in well-known constructions from
 * node:crypto only:
 * - each counter has an X25519 key pair; its public key is published in the register, its private
 *   key stays on its PC (counter-key.ts);
 * - a document key (32 random bytes, AES-256) is granted to a counter by wrapping it for that
 *   counter's public key: ECIES with an ephemeral X25519 key, HKDF-SHA256 over the shared secret
 *   (salted with both public keys) and AES-256-GCM, whose additional data binds the grant to the
 *   key's id and the counter's id — a grant copied onto another row does not open;
 * - a document key's id is derived from the key (HKDF), so a wrapped key that opens to another key
 *   than its id says is refused: nobody can hand a counter a key of their own under a known id.
 * A copied register holds public keys, wrapped keys and sealed documents: without a counter's
 * private key none of it opens.
 */
import {
  createPrivateKey,
  createPublicKey,
  createCipheriv,
  createDecipheriv,
  createHash,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/** The format of a wrapped key: version, ephemeral public key, IV, GCM tag, the wrapped key. */
const WRAP_VERSION = 1;
const PUBLIC_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DOCUMENT_KEY_BYTES = 32;

/** A counter's key pair: the private key as PKCS#8 (for the keystore), the public key raw. */
export interface CounterKeyPair {
  privateKey: KeyObject;
  /** The raw X25519 public key, base64: what the register publishes. */
  publicKey: string;
}

export function makeKeyPair(): CounterKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: rawPublicKey(publicKey) };
}

/** The private key as the keystore keeps it (PKCS#8, base64). */
export function exportPrivateKey(key: KeyObject): string {
  return key.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

/** A key pair from the private key the keystore kept; throws on anything but an X25519 key. */
export function importKeyPair(pkcs8: string): CounterKeyPair {
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'x25519') throw new Error('not an X25519 private key');
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

function rawPublicKey(key: KeyObject): string {
  const { x } = key.export({ format: 'jwk' });
  if (!x) throw new Error('not an X25519 public key');
  return Buffer.from(x, 'base64url').toString('base64');
}

/** A published public key (raw, base64) as a key object; throws on anything but 32 bytes. */
function publicKeyOf(raw: string): KeyObject {
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== PUBLIC_BYTES) throw new Error('not an X25519 public key');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: bytes.toString('base64url') },
    format: 'jwk',
  });
}

/**
 * The short fingerprint both counters show (Impostazioni → Ufficio) so that the clerk granting
 * access can tell the counter's own key from one written into the register by someone else:
 * 80 bits of SHA-256 over the public key, in five groups of four hexadecimal characters.
 */
export function fingerprint(publicKey: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 20);
  return hex.toUpperCase().match(/.{4}/g)!.join(' ');
}

/** A new document key. */
export function makeDocumentKey(): Buffer {
  return randomBytes(DOCUMENT_KEY_BYTES);
}

/** A document key's id: derived from the key, so it cannot be paired with another key. */
export function documentKeyId(key: Buffer): string {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'sportello document key id', 16)).toString(
    'base64url',
  );
}

/** What a grant is bound to: the key's id and the counter it is for. */
export interface GrantContext {
  keyId: string;
  counterId: string;
}

function info(context: GrantContext): Buffer {
  return Buffer.from(`sportello document key grant v1|${context.keyId}|${context.counterId}`, 'utf8');
}

function wrappingKey(shared: Buffer, ephemeral: Buffer, recipient: Buffer, context: GrantContext): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), info(context), 32));
}

/** Wraps a document key for a counter's public key (raw, base64). */
export function wrapFor(recipient: string, key: Buffer, context: GrantContext): string {
  const recipientKey = publicKeyOf(recipient);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = Buffer.from(rawPublicKey(ephemeral.publicKey), 'base64');
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipientKey });
  const kek = wrappingKey(shared, ephemeralRaw, Buffer.from(recipient, 'base64'), context);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(info(context));
  const body = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([Buffer.from([WRAP_VERSION]), ephemeralRaw, iv, cipher.getAuthTag(), body]).toString(
    'base64',
  );
}

/**
 * Opens a grant with this counter's key pair: the document key, checked against its id. Throws
 * when the grant is not for this key pair, not for this key or counter, or tampered with.
 */
export function unwrapWith(pair: CounterKeyPair, wrapped: string, context: GrantContext): Buffer {
  const data = Buffer.from(wrapped, 'base64');
  const head = 1 + PUBLIC_BYTES + IV_BYTES + TAG_BYTES;
  if (data[0] !== WRAP_VERSION || data.length !== head + DOCUMENT_KEY_BYTES)
    throw new Error('not a document key grant');
  const ephemeralRaw = data.subarray(1, 1 + PUBLIC_BYTES);
  const shared = diffieHellman({
    privateKey: pair.privateKey,
    publicKey: publicKeyOf(ephemeralRaw.toString('base64')),
  });
  const kek = wrappingKey(shared, ephemeralRaw, Buffer.from(pair.publicKey, 'base64'), context);
  const decipher = createDecipheriv(
    'aes-256-gcm',
    kek,
    data.subarray(1 + PUBLIC_BYTES, 1 + PUBLIC_BYTES + IV_BYTES),
  );
  decipher.setAAD(info(context));
  decipher.setAuthTag(data.subarray(1 + PUBLIC_BYTES + IV_BYTES, head));
  const key = Buffer.concat([decipher.update(data.subarray(head)), decipher.final()]);
  if (documentKeyId(key) !== context.keyId) throw new Error('the granted key is not the key its id names');
  return key;
}
