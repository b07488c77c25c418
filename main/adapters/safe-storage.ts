import { safeStorage } from 'electron';
import type { SecretCipher } from '../ports.ts';

/** Secrets through the OS keystore (DPAPI, Keychain, libsecret/kwallet); refuses Linux 'basic_text'. */
export class SafeStorageCipher implements SecretCipher {
  async backend(): Promise<string> {
    if (process.platform !== 'linux') return safeStorage.isEncryptionAvailable() ? 'os' : 'unavailable';
    return safeStorage.getSelectedStorageBackend();
  }

  async canPersist(): Promise<boolean> {
    if (!safeStorage.isEncryptionAvailable()) return false;
    // 'basic_text' encrypts with a hard-coded password: as good as clear text on disk.
    return (
      process.platform !== 'linux' ||
      !['basic_text', 'unknown'].includes(safeStorage.getSelectedStorageBackend())
    );
  }

  async encrypt(plain: string): Promise<Uint8Array> {
    return safeStorage.encryptString(plain);
  }

  async decrypt(cipher: Uint8Array): Promise<string> {
    return safeStorage.decryptString(Buffer.from(cipher));
  }
}
