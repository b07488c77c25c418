import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { SecretCipher } from '../ports.ts';
import type { ClientsPort } from '../store/port.ts';

/** Format of a sealed file: version, IV, GCM tag, ciphertext. */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts documents kept on file (AES-256-GCM). The file key is random, made once, and stored in
 * the database only as the OS keystore's ciphertext (SecretCipher, the same port that guards the
 * API keys): a copied database or a stolen disk without the user's keystore opens nothing. Each
 * file is bound to its id (additional data), so files cannot be swapped between records.
 */
export class FileSealer {
  private readonly records: ClientsPort;
  private readonly cipher: SecretCipher;
  private readonly now: () => number;
  private key: Promise<Buffer> | null = null;

  constructor(deps: { records: ClientsPort; cipher: SecretCipher; now: () => number }) {
    this.records = deps.records;
    this.cipher = deps.cipher;
    this.now = deps.now;
  }

  /** False where the keystore cannot protect the key (none, Linux basic_text): nothing is kept. */
  available(): Promise<boolean> {
    return this.cipher.canPersist();
  }

  async seal(plain: Uint8Array, id: string): Promise<Buffer> {
    const key = await this.fileKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  async open(sealed: Uint8Array, id: string): Promise<Buffer> {
    const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (data[0] !== VERSION || data.length < 1 + IV_BYTES + TAG_BYTES) {
      throw new AppError('keystore_unavailable', 'Documento conservato illeggibile', {
        details: { reason: 'damaged' },
      });
    }
    const key = await this.fileKey();
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new AppError('keystore_unavailable', 'Documento conservato non decifrabile', {
        cause: error,
        details: { reason: 'damaged' },
      });
    }
  }

  private fileKey(): Promise<Buffer> {
    this.key ??= this.loadKey().catch((error: unknown) => {
      this.key = null;
      throw error;
    });
    return this.key;
  }

  private async loadKey(): Promise<Buffer> {
    if (!(await this.available())) {
      throw new AppError(
        'keystore_unavailable',
        'Il portachiavi del sistema non è disponibile: i documenti non si possono conservare cifrati',
        { details: { reason: 'no_keystore' } },
      );
    }
    const wrappedKey = await this.records.sealingKey();
    if (wrappedKey !== null) {
      try {
        return Buffer.from(await this.cipher.decrypt(Buffer.from(wrappedKey, 'base64')), 'base64');
      } catch (error) {
        throw new AppError(
          'keystore_unavailable',
          'La chiave dei documenti conservati non si può decifrare (portachiavi del sistema cambiato)',
          { cause: error, details: { reason: 'key_lost' } },
        );
      }
    }
    const key = randomBytes(32);
    const wrapped = Buffer.from(await this.cipher.encrypt(key.toString('base64'))).toString('base64');
    // Two first uses at once: the first insert wins and both use the stored key.
    await this.records.offerSealingKey(wrapped, this.now());
    const stored = (await this.records.sealingKey())!;
    return stored === wrapped
      ? key
      : Buffer.from(await this.cipher.decrypt(Buffer.from(stored, 'base64')), 'base64');
  }
}
