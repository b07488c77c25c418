import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';

/*
 * A document on file as the register keeps it: AES-256-GCM, bound to its row's id (and its key's),
 * so that sealed documents cannot be swapped between rows. Format: version, IV, GCM tag,
 * ciphertext.
 * - Version 2: each document under its own key, derived from the document key and the row's id
 *   (HKDF): one office key seals many documents without any two sharing a GCM key.
 * - Version 1: the files kept on one PC's disk before documents went into the register, sealed
 *   with that PC's key directly; moved in as they are (local-files.ts) and only ever opened.
 */
const CURRENT = 2;
const LEGACY = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEAD = 1 + IV_BYTES + TAG_BYTES;

function fileKey(key: Buffer, id: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.from(id, 'utf8'), 'sportello document on file v2', 32));
}

function aad(version: number, id: string, keyId: string): Buffer {
  return Buffer.from(version === LEGACY ? id : `v2|${id}|${keyId}`, 'utf8');
}

/** Seals a document for the row `id` with the document key `keyId`. */
export function sealDocument(key: Buffer, keyId: string, id: string, plain: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', fileKey(key, id), iv);
  cipher.setAAD(aad(CURRENT, id, keyId));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([CURRENT]), iv, cipher.getAuthTag(), body]);
}

/** Opens a sealed document (either version); a damaged one, or one of another row, is refused. */
export function openDocument(key: Buffer, keyId: string, id: string, sealed: Uint8Array): Buffer {
  const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const version = data[0];
  if ((version !== CURRENT && version !== LEGACY) || data.length < HEAD) throw damaged();
  const decipher = createDecipheriv(
    'aes-256-gcm',
    version === LEGACY ? key : fileKey(key, id),
    data.subarray(1, 1 + IV_BYTES),
  );
  decipher.setAAD(aad(version, id, keyId));
  decipher.setAuthTag(data.subarray(1 + IV_BYTES, HEAD));
  try {
    return Buffer.concat([decipher.update(data.subarray(HEAD)), decipher.final()]);
  } catch (error) {
    throw damaged(error);
  }
}

/** Whether `key` opens a file of before (version 1) kept for the row `id`. */
export function opensLegacy(key: Buffer, id: string, sealed: Uint8Array): boolean {
  if (sealed[0] !== LEGACY) return false;
  try {
    openDocument(key, '', id, sealed);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'keystore_unavailable') return false;
    throw error;
  }
}

function damaged(cause?: unknown): AppError {
  return new AppError('keystore_unavailable', 'Documento conservato non decifrabile', {
    ...(cause === undefined ? {} : { cause }),
    details: { reason: 'damaged' },
  });
}
