/*
 * What the release step signs for each update list (latest*.yml): a one-line statement naming the
 * list's file and the sha512 of its bytes, the version it offers, the channel and platform it is
 * for, and until when it may be believed. A list replayed elsewhere (another platform, another
 * channel) or frozen (served on after a newer release, or after its time) is then refused by the
 * app (signed-feed.ts). No dependency: build/sign-update.ts uses this file in a job that installs
 * nothing from the registry.
 *
 * `<list>.sig` holds the statement as one line of JSON, then the base64 Ed25519 signature of that
 * line's exact bytes.
 */

export type ListPlatform = 'win32' | 'darwin' | 'linux';

export interface UpdateStatement {
  v: 2;
  /** The list's file name, e.g. latest-linux.yml. */
  file: string;
  /** sha512 of the list's exact bytes, base64. */
  sha512: string;
  /** The version the list offers (its `version:`). */
  version: string;
  channel: string;
  platform: ListPlatform;
  /** The CPU when the list's name says it (Linux: x64 unless named), null for Windows and macOS lists. */
  arch: string | null;
  /** ISO time past which the list is refused. */
  expires: string;
}

/** The longest a signed list may be believed, in days: re-signing within it keeps a feed alive. */
export const MAX_VALID_DAYS = 90;

/** electron-updater's file name for a channel's list on a platform (Provider.getCustomChannelName). */
export function listFileName(channel: string, platform: string, arch: string): string {
  const suffix =
    platform === 'linux' ? `-linux${arch === 'x64' ? '' : `-${arch}`}` : platform === 'darwin' ? '-mac' : '';
  return `${channel}${suffix}.yml`;
}

/** What a list's file name says it is for (the inverse of listFileName); null for any other name. */
export function listTarget(file: string): Pick<UpdateStatement, 'channel' | 'platform' | 'arch'> | null {
  const match = /^([a-z0-9]+)(?:-(mac|linux)(?:-([a-z0-9_]+))?)?\.yml$/.exec(file);
  if (!match) return null;
  const [, channel, os, arch] = match;
  if (os === 'mac' && arch) return null;
  if (os === 'linux') return { channel: channel!, platform: 'linux', arch: arch ?? 'x64' };
  return { channel: channel!, platform: os === 'mac' ? 'darwin' : 'win32', arch: null };
}

/** The statement's line, keys in a fixed order: what is signed. */
export function statementLine(statement: UpdateStatement): string {
  const { v, file, sha512, version, channel, platform, arch, expires } = statement;
  return JSON.stringify({ v, file, sha512, version, channel, platform, arch, expires });
}

/** The `.sig` file: the statement's line and its signature. */
export function signatureFile(line: string, signatureBase64: string): string {
  return `${line}\n${signatureBase64}\n`;
}

/** A `.sig` file's two parts; null when it has not that shape (an older bare signature, say). */
export function splitSignatureFile(text: string): { line: string; signature: string } | null {
  const [line, signature, ...rest] = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  if (!line?.startsWith('{') || !signature || rest.length) return null;
  return { line, signature: signature.trim() };
}

/** The statement in `line`, if it has every field with its type; null otherwise. */
export function parseStatement(line: string): UpdateStatement | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // Not JSON: not a statement this app signs.
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const s = value as Record<string, unknown>;
  const text = (k: string) => typeof s[k] === 'string' && s[k].length > 0;
  if (
    s.v !== 2 ||
    !['file', 'sha512', 'version', 'channel', 'expires'].every(text) ||
    !['win32', 'darwin', 'linux'].includes(s.platform as string) ||
    !(s.arch === null || text('arch')) ||
    Number.isNaN(Date.parse(s.expires as string))
  )
    return null;
  return s as unknown as UpdateStatement;
}
