/**
 * One name (a file or a folder) that every office PC can hold: Windows, macOS and Linux, local
 * disks and network shares. Whatever the input, the result is non-empty, NFC, free of separators
 * and control characters, not a Windows device name, and short enough to leave room for the path.
 */

export interface SafeNameOptions {
  /** In UTF-16 code units; the extension is kept and the stem shortened. */
  maxLength?: number;
  /** Stands in for a name with nothing usable left. An empty fallback lets a caller detect that. */
  fallback?: string;
  /** Folder names have no extension: a dot in "S.r.l." must not protect what follows it. */
  keepExtension?: boolean;
}

export const maxSafeNameLength = 120;

// ext4 and APFS count a name in UTF-8 bytes (255 at most); 120 accented letters already need 240.
const maxNameBytes = 240;
const maxExtensionLength = 16;

// Device names are reserved on Windows whatever the extension ("con.pdf", "LPT1.txt").
const windowsDevice = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/iu;
// Bidi overrides make "fdp.exe" look like "exe.pdf"; the rest are characters no file system keeps.
const forbidden = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"/\\|?*]/gu;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;
// Leading dots hide a file on macOS and Linux; Windows silently drops trailing dots and spaces.
const untidyEnds = /^[\s.]+|[\s.]+$/gu;

const graphemes = new Intl.Segmenter('it', { granularity: 'grapheme' });

export function safeName(raw: string, options: SafeNameOptions = {}): string {
  const maxLength = Math.max(options.maxLength ?? maxSafeNameLength, 1);
  const keepExtension = options.keepExtension ?? true;
  const fallback = options.fallback ?? 'senza nome';

  const cleaned = raw
    .replace(loneSurrogate, '_')
    .normalize('NFC')
    .replace(/[\t\n\v\f\r]/gu, ' ')
    .replace(forbidden, '_')
    .replace(/\s+/gu, ' ')
    .replace(untidyEnds, '');
  const fitted = fit(cleaned, maxLength, keepExtension).replace(untidyEnds, '').normalize('NFC');
  if (fitted === '') return fallback === '' ? '' : safeName(fallback, { ...options, fallback: '_' });
  return isWindowsDevice(fitted) ? `_${fitted}` : fitted;
}

/** `name (n).ext`, shortening the stem so that the counter and the extension survive. */
export function numberedName(name: string, n: number, maxLength = maxSafeNameLength): string {
  const { stem, extension } = splitExtension(name);
  const suffix = ` (${n})`;
  const room = Math.max(maxLength - suffix.length - extension.length, 1);
  return safeName(
    `${truncate(stem, room, maxNameBytes - byteLength(suffix + extension))}${suffix}${extension}`,
    {
      maxLength,
    },
  );
}

/** The extension includes its dot; only a short, plain suffix counts ("a.b c" has none). */
export function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot) : '';
  if (
    extension.length < 2 ||
    extension.length > maxExtensionLength ||
    !/^\.[\p{L}\p{N}_-]+$/u.test(extension)
  ) {
    return { stem: name, extension: '' };
  }
  return { stem: name.slice(0, dot), extension };
}

function isWindowsDevice(name: string): boolean {
  const stem = name.split('.')[0] ?? '';
  return windowsDevice.test(stem.trimEnd());
}

function fit(name: string, maxLength: number, keepExtension: boolean): string {
  if (name.length <= maxLength && byteLength(name) <= maxNameBytes) return name;
  const { stem, extension } = keepExtension ? splitExtension(name) : { stem: name, extension: '' };
  const shortened = truncate(stem, maxLength - extension.length, maxNameBytes - byteLength(extension));
  return `${shortened.replace(untidyEnds, '')}${extension}`;
}

/** Whole grapheme clusters only: a cut must not leave half a letter or half an emoji. */
function truncate(text: string, maxLength: number, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = byteLength(segment);
    if (out.length + segment.length > maxLength || bytes + size > maxBytes) break;
    out += segment;
    bytes += size;
  }
  return out;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
