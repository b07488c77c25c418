import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger, SecretCipher } from '../ports.ts';
import type { Register } from '../store/port.ts';
import type { Keyring } from './keyring.ts';
import { opensLegacy } from './sealer.ts';

/** The files of before: `<row id>.bin`, written through `<row id>.bin.tmp`. */
const SEALED_FILE = /^([0-9a-f-]{36})\.bin$/;
const LEFTOVER = /^[0-9a-f-]{36}\.bin\.tmp$/;

export interface LocalFilesDeps {
  store: Register;
  keyring: Keyring;
  cipher: SecretCipher;
  /** Where this counter kept documents before they went into the register (userData/clienti). */
  dir: string;
  /**
   * The sealing keys of before this counter may hold, each wrapped by its OS keystore: the
   * register's (`sealing_key`) and, on an office, the one of this counter's own log.
   */
  legacyKeys: () => Promise<string[]>;
  now: () => number;
  log: Logger;
  /** After a file's document went into the register, before the file is deleted (tests crash there). */
  onMoved?: ((id: string) => void | Promise<void>) | undefined;
}

/**
 * The documents this counter kept on its own disk before they went into the register: moved in at
 * start, each as it was sealed (format 1, under the sealing key of before), that key moved in as a
 * document key held by this counter — and, while nothing else is, every local file whose document
 * is in the register, or no longer anywhere (revoked, expired, at any counter), deleted.
 *
 * Each file's move is one write of its row and then the file's removal: a move cut anywhere is
 * finished by running it again (the next start), without a document twice or lost.
 */
export class LocalFiles {
  private readonly d: LocalFilesDeps;

  constructor(deps: LocalFilesDeps) {
    this.d = deps;
  }

  /** Moves the files of before in; answers how many went in and how many were deleted as done. */
  async moveIn(): Promise<{ moved: number; removed: number; left: number }> {
    // Without a keystore nothing of before opens (nor did it then): the files wait for their rows' end.
    if (!(await this.d.cipher.canPersist())) return { moved: 0, removed: 0, left: 0 };
    const names = (await this.names()).filter((name) => SEALED_FILE.test(name));
    const legacy = await this.d.legacyKeys();
    // Nothing kept before here: the keystore is not asked for anything.
    if (!names.length && !legacy.length) return { moved: 0, removed: 0, left: 0 };
    const keys = await this.adoptLegacyKeys(legacy);
    let moved = 0;
    let removed = 0;
    let left = 0;
    for (const name of names) {
      const id = SEALED_FILE.exec(name)?.[1];
      if (!id) continue;
      const path = join(this.d.dir, name);
      const row = await this.d.store.clients.fileById(id);
      if (!row || row.key_id !== null) {
        await rm(path, { force: true });
        removed++;
        continue;
      }
      const sealed = await readFile(path);
      const key = [...keys].find(([, k]) => opensLegacy(k, id, sealed));
      if (!key) {
        // Sealed under a key this counter's keystore no longer opens: kept until its row goes.
        left++;
        continue;
      }
      if (await this.d.store.clients.moveIn(id, { key_id: key[0], sealed })) moved++;
      await this.d.onMoved?.(id);
      await rm(path, { force: true });
    }
    if (moved || removed || left)
      this.d.log.info('documents on file of before moved into the register', { moved, removed, left });
    return { moved, removed, left };
  }

  /**
   * Deletes the local files whose document is in the register already, or gone from it: after a
   * revocation or an expiry at any counter, the copy of before on this disk goes too.
   */
  async sweep(): Promise<number> {
    let removed = 0;
    for (const name of await this.names()) {
      const path = join(this.d.dir, name);
      if (LEFTOVER.test(name)) {
        await rm(path, { force: true });
        removed++;
        continue;
      }
      const id = SEALED_FILE.exec(name)?.[1];
      if (!id) continue;
      const row = await this.d.store.clients.fileById(id);
      if (row && row.key_id === null) continue;
      await rm(path, { force: true });
      removed++;
    }
    return removed;
  }

  /**
   * The keys that may open files of before: the sealing keys of before this keystore opens (each
   * moved in as a document key held by this counter, then forgotten in the register) and every
   * document key this counter holds (one moved in by an earlier, interrupted run).
   */
  private async adoptLegacyKeys(legacy: string[]): Promise<Map<string, Buffer>> {
    for (const wrapped of legacy) {
      let key: Buffer;
      try {
        key = Buffer.from(await this.d.cipher.decrypt(Buffer.from(wrapped, 'base64')), 'base64');
      } catch (error) {
        // Another PC's (the register's row is whichever counter's came first), or a keystore since
        // changed: not this counter's to move in.
        this.d.log.info('documents on file: a sealing key of before this keystore does not open', {
          reason: error instanceof Error ? error.name : 'unknown',
        });
        continue;
      }
      await this.d.keyring.adopt(key, this.d.now());
      await this.d.store.clients.forgetSealingKey(wrapped);
    }
    return this.d.keyring.held();
  }

  private async names(): Promise<string[]> {
    try {
      return (await readdir(this.d.dir)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}
