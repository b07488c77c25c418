import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { load } from 'js-yaml';
import semver from 'semver';
import { listTarget, parseStatement, splitSignatureFile } from './statement.ts';

/*
 * Updates are trusted only when the release step signed their metadata (latest*.yml) with the
 * release key, whose public half is pinned in the app at build time. What is signed is a statement
 * (statement.ts, in `<file>.sig` beside the list: build/sign-update.ts) naming the list's file and
 * the sha512 of its bytes, its version, the channel and platform it is for and an expiry: a list
 * is believed only for the file this app asked for, on this platform, until then. The metadata then
 * vouches for the installer: its sha512 must match the file downloaded. Without a pinned key there
 * are no updates at all: a feed alone (served from the same folder as the installers) proves nothing.
 */

export class UpdateRefused extends Error {
  readonly reason:
    | 'no_key'
    | 'bad_key'
    | 'no_signature'
    | 'bad_signature'
    /** The `.sig` holds no statement this app reads (an older bare signature, a missing field). */
    | 'bad_statement'
    /** Signed for another file, channel, platform or CPU than the one asked for. */
    | 'foreign'
    /** Signed, but past its expiry: a feed that stopped moving. */
    | 'expired'
    | 'bad_metadata'
    | 'downgrade'
    | 'bad_hash';

  constructor(reason: UpdateRefused['reason'], message: string) {
    super(message);
    this.name = 'UpdateRefused';
    this.reason = reason;
  }
}

export interface SignedFile {
  url: string;
  sha512: string;
  size?: number;
}

/** The parts of electron-builder's update info the app relies on, once verified. */
export interface VerifiedUpdate {
  version: string;
  files: SignedFile[];
  path?: string;
  sha512?: string;
  releaseDate?: string;
  [key: string]: unknown;
}

/**
 * The pinned public key: PEM, or base64 of the DER SubjectPublicKeyInfo (what update-keygen.ts
 * prints). Throws UpdateRefused('bad_key') for anything that is not an Ed25519 public key.
 */
export function pinnedKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (!trimmed) throw new UpdateRefused('no_key', 'nessuna chiave di firma degli aggiornamenti incorporata');
  let key: KeyObject;
  try {
    key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new UpdateRefused('bad_key', 'la chiave di firma degli aggiornamenti incorporata non è valida');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new UpdateRefused('bad_key', 'la chiave di firma degli aggiornamenti deve essere Ed25519');
  return key;
}

/**
 * The update described by `metadata` (the bytes of the list `file`, e.g. latest-linux.yml), if
 * `signature` (the text of `<file>.sig`) holds the pinned key's signature of a statement for
 * exactly those bytes, for that file, its channel and platform, not expired at `now`, and the
 * version is newer than `currentVersion`.
 */
export function verifyUpdateMetadata(options: {
  metadata: Uint8Array;
  signature: string | null;
  key: KeyObject;
  currentVersion: string;
  /** The list asked for, named as electron-updater names it for this channel and platform. */
  file: string;
  /** The time to judge the expiry by (ms). */
  now: number;
}): VerifiedUpdate {
  const text = options.signature?.trim();
  if (!text) throw new UpdateRefused('no_signature', 'aggiornamento senza firma: ignorato');
  const parts = splitSignatureFile(text);
  if (!parts)
    throw new UpdateRefused('bad_statement', 'la firma dell’aggiornamento non dice per cosa vale: ignorato');
  const bytes = Buffer.from(parts.signature, 'base64');
  if (bytes.length !== 64 || !verify(null, Buffer.from(parts.line, 'utf8'), options.key, bytes))
    throw new UpdateRefused('bad_signature', 'la firma dell’aggiornamento non corrisponde: ignorato');
  const statement = parseStatement(parts.line);
  if (!statement)
    throw new UpdateRefused('bad_statement', 'la firma dell’aggiornamento non dice per cosa vale: ignorato');
  const wanted = listTarget(options.file);
  if (
    !wanted ||
    statement.file !== options.file ||
    statement.channel !== wanted.channel ||
    statement.platform !== wanted.platform ||
    statement.arch !== wanted.arch
  )
    throw new UpdateRefused(
      'foreign',
      `elenco firmato per ${statement.file} (${statement.channel}, ${statement.platform}${statement.arch ? ` ${statement.arch}` : ''}), non per ${options.file}: ignorato`,
    );
  if (createHash('sha512').update(options.metadata).digest('base64') !== statement.sha512)
    throw new UpdateRefused('bad_signature', 'l’elenco degli aggiornamenti non è quello firmato: ignorato');
  if (!(options.now < Date.parse(statement.expires)))
    throw new UpdateRefused(
      'expired',
      `elenco degli aggiornamenti scaduto il ${statement.expires}: il feed va firmato di nuovo`,
    );
  let info: unknown;
  try {
    info = load(Buffer.from(options.metadata).toString('utf8'));
  } catch {
    throw new UpdateRefused('bad_metadata', 'descrizione dell’aggiornamento illeggibile');
  }
  if (!isUpdate(info)) throw new UpdateRefused('bad_metadata', 'descrizione dell’aggiornamento incompleta');
  const version = semver.valid(info.version);
  if (!version) throw new UpdateRefused('bad_metadata', `versione non valida: ${String(info.version)}`);
  if (version !== semver.valid(statement.version))
    throw new UpdateRefused(
      'bad_statement',
      `la firma vale per la versione ${statement.version}, l’elenco offre la ${version}: ignorato`,
    );
  // Never back, never the same again: an old signed feed replayed must not reinstall a known hole.
  if (!semver.gt(version, options.currentVersion))
    throw new UpdateRefused(
      'downgrade',
      `la versione ${version} non è più recente di ${options.currentVersion}`,
    );
  return info;
}

function isUpdate(value: unknown): value is VerifiedUpdate {
  if (!value || typeof value !== 'object') return false;
  const info = value as Record<string, unknown>;
  return (
    typeof info.version === 'string' &&
    Array.isArray(info.files) &&
    info.files.length > 0 &&
    info.files.every(
      (f: unknown) =>
        !!f &&
        typeof f === 'object' &&
        typeof (f as SignedFile).url === 'string' &&
        typeof (f as SignedFile).sha512 === 'string',
    )
  );
}

/** sha512 of a file, base64, as electron-builder writes it in latest*.yml. */
export async function sha512Of(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/**
 * The downloaded installer must be one the signed metadata lists, byte for byte: its sha512 among
 * the files' (or the top-level one). Throws UpdateRefused('bad_hash') otherwise.
 */
export async function verifyInstaller(path: string, update: VerifiedUpdate): Promise<void> {
  const actual = await sha512Of(path);
  const expected = new Set([...update.files.map((f) => f.sha512), ...(update.sha512 ? [update.sha512] : [])]);
  if (!expected.has(actual))
    throw new UpdateRefused(
      'bad_hash',
      'il file scaricato non corrisponde all’aggiornamento firmato: scartato',
    );
}
