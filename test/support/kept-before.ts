/*
 * Documents on file as a Sportello of before kept them: each on the disk of the PC that kept it
 * (userData/clienti/<row id>.bin), sealed with one key used directly (format 1, its row's id as
 * additional data), that key wrapped by the PC's OS keystore in the register's `sealing_key`, and
 * the row in `client_files` without content. What the move at start (clients/local-files.ts) finds.
 */
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretCipher } from '../../main/ports.ts';
import type { Register } from '../../main/store/port.ts';
import { asOwner } from './registers.ts';

export interface DocumentBefore {
  id: string;
  cf: string;
  kind: 'identita' | 'codice_fiscale';
  bytes: Buffer;
}

export function sealedBefore(key: Buffer, id: string, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(id, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]);
}

/** A document of before (its row id made here). */
export const documentBefore = (cf: string, kind: DocumentBefore['kind'], bytes: Buffer): DocumentBefore => ({
  id: randomUUID(),
  cf,
  kind,
  bytes,
});

/**
 * Writes `docs` as the version of before kept them on the PC rooted at `root` (in `register`, its
 * keystore `cipher`); `withRow: false` leaves a file whose row is gone (revoked meanwhile);
 * `sealingKey: false` leaves the key out of the register (another counter's came first). Returns
 * the sealing key of before and its keystore ciphertext.
 */
export async function keepBefore(
  root: string,
  register: Register,
  cipher: SecretCipher,
  docs: (DocumentBefore & { withRow?: boolean })[],
  options: { now?: number; sealingKey?: boolean } = {},
): Promise<{ key: Buffer; wrapped: string }> {
  const now = options.now ?? Date.now();
  const key = randomBytes(32);
  const wrapped = Buffer.from(await cipher.encrypt(key.toString('base64'))).toString('base64');
  if (options.sealingKey !== false)
    await asOwner(register, 'INSERT INTO sealing_key (id, wrapped, created_at) VALUES (1, ?, ?)', [
      wrapped,
      now,
    ]);
  const dir = join(root, 'userData', 'clienti');
  mkdirSync(dir, { recursive: true });
  for (const doc of docs) {
    if (doc.withRow !== false)
      await asOwner(
        register,
        `INSERT INTO client_files (id, cf, kind, file_name, pages, size, sha256, source_request_id, created_at, expires_at)
         VALUES (?, ?, ?, ?, 1, ?, 'sha', NULL, ?, ?)`,
        [doc.id, doc.cf, doc.kind, `${doc.kind}.pdf`, doc.bytes.length, now, now + 300 * 86_400_000],
      );
    writeFileSync(join(dir, `${doc.id}.bin`), sealedBefore(key, doc.id, doc.bytes));
  }
  return { key, wrapped };
}
