import { safeStorage } from 'electron';
import type { SecretCipher } from '../ports.ts';

/**
 * Secrets through the OS keystore (DPAPI, Keychain, libsecret/kwallet) with safeStorage's async
 * API. Refuses Linux 'basic_text': it encrypts with a password hard-coded in Chromium, as good as
 * clear text on disk.
 */
export class SafeStorageCipher implements SecretCipher {
  async backend(): Promise<string> {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return 'unavailable';
    if (process.platform === 'win32') return 'dpapi';
    if (process.platform === 'darwin') return 'keychain';
    return safeStorage.getSelectedStorageBackend();
  }

  async canPersist(): Promise<boolean> {
    return !['unavailable', 'basic_text', 'unknown'].includes(await this.backend());
  }

  async encrypt(plain: string): Promise<Uint8Array> {
    return safeStorage.encryptStringAsync(plain);
  }

  async decrypt(cipher: Uint8Array): Promise<string> {
    // `shouldReEncrypt` (a rotated key) is not acted on: the old ciphertext keeps decrypting, and the
    // clerk re-entering the key writes a fresh one.
    const { result } = await safeStorage.decryptStringAsync(Buffer.from(cipher));
    return result;
  }
}
