import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { OfficeCheck, OfficeForm, OfficeLinkState, OfficeStatus } from '../../common/office.ts';
import { checkConnection, type OfficeDbConfig } from '../db/postgres/connection.ts';
import { AppError } from '../errors.ts';
import type { Dialogs, Logger, PreferenceStore, SecretCipher } from '../ports.ts';
import type { ConfigFile } from './preferences.ts';
import { KeyVault } from './vault.ts';

/** The office's register as config.json keeps it: everything but the password (the vault's). */
export const storedOfficeSchema = z.object({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  database: z.string().min(1).max(63),
  user: z.string().min(1).max(63),
  tls: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('disable') }),
    z.object({ mode: z.literal('verify-full'), caFile: z.string().min(1).max(4096) }),
  ]),
  /** The id of the office register this counter's log was moved into (store/office-database.ts). */
  movedInto: z.string().max(100).nullable().default(null),
});
export type StoredOffice = z.infer<typeof storedOfficeSchema>;

const PASSWORD = 'office.password';

/** The office config.json names (null when none, or when it was edited into something invalid). */
export function savedOffice(store: PreferenceStore<ConfigFile>): StoredOffice | null {
  const parsed = storedOfficeSchema.safeParse(store.store.office);
  return parsed.success ? parsed.data : null;
}

/**
 * The office register to start on, password decrypted; null for this counter's own log. A password
 * the keystore can no longer decrypt is left empty: the server refuses it, and the banner says so.
 */
export async function officeAtStart(
  store: PreferenceStore<ConfigFile>,
  cipher: SecretCipher,
  log: Logger,
): Promise<OfficeDbConfig | null> {
  const saved = savedOffice(store);
  if (!saved) return null;
  let password = '';
  try {
    password = (await new KeyVault(store, cipher).get(PASSWORD)) ?? '';
  } catch (error) {
    log.warn('office password unreadable', { reason: error instanceof AppError ? error.code : 'unknown' });
  }
  return connectionOf(saved, password);
}

function connectionOf(saved: Omit<StoredOffice, 'movedInto'>, password: string): OfficeDbConfig {
  return {
    host: saved.host,
    port: saved.port,
    database: saved.database,
    user: saved.user,
    password,
    tls: saved.tls,
  };
}

export interface OfficeSettingsDeps {
  store: PreferenceStore<ConfigFile>;
  cipher: SecretCipher;
  dialogs: Dialogs;
  log: Logger;
  /** The office register this run uses (null: the counter's own log), its link and the copy kept on leaving. */
  inUse: { readonly state: OfficeLinkState; keepLocalCopy(): Promise<void> } | null;
}

/**
 * Impostazioni → Ufficio: joining the office's register (effective after a restart: the move of
 * the local log runs then), leaving it (a local copy kept), "Prova connessione". Joining or leaving
 * changes where every request of this counter is recorded: main asks the clerk in its own dialog.
 */
export class OfficeSettings {
  private readonly d: OfficeSettingsDeps;
  private readonly vault: KeyVault;
  private pendingCa: string | null = null;
  private changed = false;

  constructor(deps: OfficeSettingsDeps) {
    this.d = deps;
    this.vault = new KeyVault(deps.store, deps.cipher);
  }

  status(): OfficeStatus {
    const saved = savedOffice(this.d.store);
    return {
      joined: saved && {
        host: saved.host,
        port: saved.port,
        database: saved.database,
        user: saved.user,
        tls: saved.tls.mode,
        caFile: saved.tls.mode === 'verify-full' ? saved.tls.caFile : null,
        passwordSet: this.vault.has(PASSWORD),
      },
      pendingCaFile: this.pendingCa,
      inUse: this.d.inUse ? 'office' : 'local',
      restartNeeded: this.changed,
      link: this.d.inUse?.state ?? null,
    };
  }

  /** Main's file dialog for the office's CA certificate; kept for the next test or join. */
  async chooseCaFile(): Promise<OfficeStatus> {
    const file = await this.d.dialogs.chooseFile({
      title: 'Scegliete il certificato dell’ufficio (CA)',
      filters: [{ name: 'Certificato (PEM)', extensions: ['pem', 'crt', 'cer'] }],
    });
    if (file === null) return this.status();
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new AppError('invalid_argument', `Il file «${file}» non si può leggere`, { cause: error });
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      throw new AppError('invalid_argument', 'Il file scelto non è un certificato in formato PEM', {
        details: { setting: 'caFile', reason: 'not_pem' },
      });
    this.pendingCa = file;
    return this.status();
  }

  /** "Prova connessione" with the form's values (the kept password when the form has none). */
  async test(form: OfficeForm): Promise<OfficeCheck> {
    const result = await checkConnection(await this.connection(form));
    if (result.ok) return result;
    this.d.log.warn('office connection check failed', { problem: result.problem, detail: result.detail });
    return { ok: false, problem: result.problem, message: result.message };
  }

  /** Joins (or changes) the office: checked, confirmed in main's dialog, kept; applies after a restart. */
  async join(form: OfficeForm): Promise<OfficeStatus> {
    const connection = await this.connection(form);
    const check = await checkConnection(connection);
    if (!check.ok)
      throw new AppError('invalid_argument', check.message, {
        details: { setting: 'office', reason: check.problem },
      });
    const confirmed = await this.d.dialogs.confirm({
      title: 'Registro dell’ufficio',
      message: `Collegare questo sportello al registro dell’ufficio su ${connection.host}?`,
      detail:
        `Database «${connection.database}», utente «${connection.user}».\n\n` +
        'Le pratiche di questo sportello verranno registrate nel database dell’ufficio, condiviso con gli altri sportelli; ' +
        'al prossimo avvio il registro di questo computer vi viene copiato. Riavviate Sportello per applicare.',
      confirm: 'Collega all’ufficio',
    });
    if (!confirmed)
      throw new AppError('not_confirmed', 'Modifica non confermata: le impostazioni restano come erano');
    if (form.password !== null) {
      if (!(await this.d.cipher.canPersist()))
        throw new AppError(
          'keystore_unavailable',
          'Il portachiavi del sistema non è disponibile: la password del database non si può conservare',
        );
      await this.vault.set(PASSWORD, form.password);
    }
    // The register's own id says whether the log is in it already: an id kept from before is harmless.
    const previous = savedOffice(this.d.store);
    this.d.store.set('office', {
      host: connection.host,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      tls: connection.tls,
      movedInto: previous?.movedInto ?? null,
    } satisfies StoredOffice);
    this.pendingCa = null;
    this.changed = true;
    this.d.log.info('office register set', { tls: connection.tls.mode });
    return this.status();
  }

  /**
   * Leaves the office: confirmed in main's dialog; the office register copied into this counter's
   * own log (when it is the one in use), then the settings and the password removed.
   */
  async leave(): Promise<OfficeStatus> {
    const saved = savedOffice(this.d.store);
    if (!saved) return this.status();
    const confirmed = await this.d.dialogs.confirm({
      title: 'Registro dell’ufficio',
      message: 'Scollegare questo sportello dal registro dell’ufficio?',
      detail:
        'Una copia del registro dell’ufficio resta su questo computer; le pratiche nuove verranno registrate solo qui. ' +
        'Riavviate Sportello per applicare.',
      confirm: 'Scollega',
    });
    if (!confirmed)
      throw new AppError('not_confirmed', 'Modifica non confermata: le impostazioni restano come erano');
    await this.d.inUse?.keepLocalCopy();
    this.d.store.delete('office');
    this.vault.delete(PASSWORD);
    this.changed = true;
    this.d.log.info('office register left');
    return this.status();
  }

  private async connection(form: OfficeForm): Promise<OfficeDbConfig> {
    const password = form.password ?? (await this.vault.get(PASSWORD));
    if (!password)
      throw new AppError('invalid_argument', 'Indicate la password dell’utente del database', {
        details: { setting: 'office', reason: 'no_password' },
      });
    const saved = savedOffice(this.d.store);
    const caFile = this.pendingCa ?? (saved?.tls.mode === 'verify-full' ? saved.tls.caFile : null);
    if (form.tls === 'verify-full' && !caFile)
      throw new AppError(
        'invalid_argument',
        'Scegliete il certificato dell’ufficio (CA) per la connessione cifrata',
        {
          details: { setting: 'caFile', reason: 'missing' },
        },
      );
    return {
      host: form.host,
      port: form.port,
      database: form.database,
      user: form.user,
      password,
      tls: form.tls === 'verify-full' && caFile ? { mode: 'verify-full', caFile } : { mode: 'disable' },
    };
  }
}

/** Where config.json says which office register this counter's log was moved into. */
export function movedMarker(store: PreferenceStore<ConfigFile>): {
  into(): string | null;
  mark(id: string): void;
} {
  return {
    into: () => savedOffice(store)?.movedInto ?? null,
    mark: (id) => {
      const saved = savedOffice(store);
      if (saved) store.set('office', { ...saved, movedInto: id } satisfies StoredOffice);
    },
  };
}
