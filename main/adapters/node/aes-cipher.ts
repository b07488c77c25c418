import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../ports.ts';

/**
 * Stands in for Electron's safeStorage where there is no Electron (tests, the browser harness):
 * AES-256-GCM with a key held by the caller. `backend: 'basic_text'` mimics a Linux desktop
 * without a keyring, where the vault must refuse to persist.
 */
export class AesCipher implements SecretCipher {
  private readonly key: Buffer;
  private readonly backendName: string;

  constructor(options: { key?: Buffer; backend?: string } = {}) {
    this.key = options.key ?? randomBytes(32);
    this.backendName = options.backend ?? 'aes-test';
  }

  async backend(): Promise<string> {
    return this.backendName;
  }

  async canPersist(): Promise<boolean> {
    return this.backendName !== 'basic_text' && this.backendName !== 'unavailable';
  }

  async encrypt(plain: string): Promise<Uint8Array> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  async decrypt(data: Uint8Array): Promise<string> {
    const buffer = Buffer.from(data);
    const decipher = createDecipheriv('aes-256-gcm', this.key, buffer.subarray(0, 12));
    decipher.setAuthTag(buffer.subarray(12, 28));
    return Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]).toString('utf8');
  }
}
