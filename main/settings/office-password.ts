import { z } from 'zod';
import type { OfficeTls } from '../../common/office.ts';
import { AppError } from '../errors.ts';
import type { KeyVault } from './vault.ts';

/*
 * The office database's password, kept with the server it was typed for: host, port, database,
 * user and TLS mode are sealed with it in one ciphertext (the vault's), so that nothing outside it
 * — the page, an edited config.json — can send it anywhere else. Another server, another user, TLS
 * off where it was on: the password must be typed again (and the clerk confirms, in main, where it
 * goes: settings/office.ts).
 */

const NAME = 'office.password';

/** Where a password may go: what the clerk confirmed when it was typed. */
export const officeServerSchema = z.object({
  host: z.string(),
  port: z.number(),
  database: z.string(),
  user: z.string(),
  tls: z.enum(['disable', 'verify-full']),
});
export type OfficeServer = z.infer<typeof officeServerSchema>;

const sealedSchema = z.object({ v: z.literal(1), server: officeServerSchema, password: z.string() });

export function sameServer(a: OfficeServer, b: OfficeServer): boolean {
  return (
    a.host.toLowerCase() === b.host.toLowerCase() &&
    a.port === b.port &&
    a.database === b.database &&
    a.user === b.user &&
    a.tls === b.tls
  );
}

/** The Italian words for a server, as the dialogs and the refusal name it. */
export function describeServer(server: OfficeServer, caFile?: string | null): string {
  return `${server.host}:${server.port}, database «${server.database}», utente «${server.user}», ${tlsWords(server.tls, caFile)}`;
}

export function tlsWords(tls: OfficeTls, caFile?: string | null): string {
  return tls === 'verify-full'
    ? `connessione cifrata e verificata (TLS verify-full${caFile ? `, certificato «${caFile}»` : ''})`
    : 'connessione NON cifrata';
}

/** The kept password was asked for another server than its own. */
export function boundElsewhere(bound: OfficeServer): AppError {
  return new AppError(
    'office_password_bound',
    `La password salvata vale solo per il server ${describeServer(bound)}: digitatela di nuovo`,
    { details: { ...bound } },
  );
}

export class OfficePassword {
  private readonly vault: KeyVault;

  constructor(vault: KeyVault) {
    this.vault = vault;
  }

  has(): boolean {
    return this.vault.has(NAME);
  }

  /** Keeps `password` for `server` only; false when the keystore keeps it for this session only. */
  keep(server: OfficeServer, password: string): Promise<boolean> {
    const sealed: z.infer<typeof sealedSchema> = { v: 1, server: pick(server), password };
    return this.vault.set(NAME, JSON.stringify(sealed));
  }

  forget(): void {
    this.vault.delete(NAME);
  }

  /**
   * The kept password, if it was kept for `server`; null when none is kept. Throws the
   * office_password_bound refusal for any other server, and the vault's error when the keystore
   * cannot decrypt it. `legacy`: the server a password kept by an older Sportello (in clear in the
   * ciphertext, without its server) was saved with — config.json's, written beside it.
   */
  async for(server: OfficeServer, legacy: OfficeServer | null): Promise<string | null> {
    const text = await this.vault.get(NAME);
    if (text === null) return null;
    const sealed = unseal(text);
    const bound = sealed?.server ?? legacy;
    if (!bound)
      throw new AppError(
        'office_password_bound',
        'La password salvata non dice per quale server vale: digitatela di nuovo',
        { details: { reason: 'unbound' } },
      );
    if (!sameServer(bound, server)) throw boundElsewhere(bound);
    if (sealed) return sealed.password;
    // Sealed from now on with the server it was saved with: an edit of config.json then shows.
    // Only on disk: a keystore gone since would leave it for this session, and lose it after.
    if (await this.vault.persistent()) await this.keep(bound, text);
    return text;
  }
}

function unseal(text: string): z.infer<typeof sealedSchema> | null {
  if (!text.startsWith('{')) return null;
  try {
    const parsed = sealedSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    // A password of an older Sportello that merely starts with "{": kept as it is.
    return null;
  }
}

function pick(server: OfficeServer): OfficeServer {
  return {
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.user,
    tls: server.tls,
  };
}
