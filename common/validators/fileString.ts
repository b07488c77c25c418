import { accept, refuse } from './result.ts';
import type { Check } from './result.ts';

/*
 * Visengine takes a file as one string, `<file name>|data:<mime>;base64,<payload>`. Payloads are
 * megabytes: everything here scans them once, char by char, and never decodes them.
 */

export type FileParts = { name: string; mime: string; base64: string };
export type FileInfo = {
  kind: 'file';
  name: string;
  mime: string;
  /** Size of the decoded file. */
  bytes: number;
};

export const MAX_FILE_NAME_LENGTH = 120;
const FALLBACK_NAME = 'documento';
/** RFC 6838 restricted names: `type/subtype`, no parameters. */
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
/**
 * Control characters, invisible formatting (U+202E can make `fdp.exe` display as `exe.pdf`) and
 * lone surrogates, which do not survive the trip through JSON and PHP intact.
 */
const UNSAFE_IN_NAME = /[\p{Cc}\p{Cf}\p{Cs}]/gu;

/** Builds the file string; throws on a malformed mime or payload, which would be a caller bug. */
export function encodeFileString(name: string, mime: string, base64: string): string {
  const type = mime.trim().toLowerCase();
  if (!MIME.test(type)) throw new RangeError(`Not a mime type: ${JSON.stringify(mime.slice(0, 80))}`);
  if (!isBase64(base64)) throw new RangeError('The file payload is not valid, non-empty base64');
  return `${sanitizeFileName(name)}|data:${type};base64,${base64}`;
}

/**
 * A name safe to embed: the last path segment (browsers and scanners hand over full paths), no
 * `|` (the separator), no control characters, trimmed, at most 120 characters with the extension
 * kept so the service still knows what it is receiving.
 */
export function sanitizeFileName(name: string): string {
  const lastSegment = name.split(/[/\\]/).at(-1) ?? '';
  // Whitespace (tabs, line breaks) becomes one space; other controls go; spaces they separated meet.
  const spaced = lastSegment
    .replace(/\s+/g, ' ')
    .replace(UNSAFE_IN_NAME, '')
    .replace(/ {2,}/g, ' ')
    .replaceAll('|', '-')
    .trim();
  const cleaned = withoutTrailingDots(spaced);
  const dot = cleaned.lastIndexOf('.');
  const hasExtension = dot >= 0 && cleaned.length - dot <= 16;
  const extension = hasExtension ? cleaned.slice(dot) : '';
  let base = (hasExtension ? cleaned.slice(0, dot) : cleaned).trim();
  const room = MAX_FILE_NAME_LENGTH - [...extension].length;
  const codePoints = [...base];
  if (codePoints.length > room) base = codePoints.slice(0, room).join('');
  if (!hasExtension) base = withoutTrailingDots(base);
  return (base.trim() === '' ? FALLBACK_NAME : base.trimEnd()) + extension;
}

/** Windows drops trailing dots and spaces, which would change the name on the way back. */
function withoutTrailingDots(name: string): string {
  let end = name.length;
  while (end > 0 && (name[end - 1] === '.' || name[end - 1] === ' ')) end--;
  return name.slice(0, end);
}

/** Splits a file string; null unless every part is well formed. */
export function parseFileString(value: string): FileParts | null {
  const bar = value.indexOf('|');
  if (bar <= 0) return null;
  const name = value.slice(0, bar);
  if (name.trim() === '' || /\p{Cc}/u.test(name)) return null;
  const dataUrl = 'data:';
  if (!value.startsWith(dataUrl, bar + 1)) return null;
  const mimeStart = bar + 1 + dataUrl.length;
  const marker = ';base64,';
  // Mime types are short: look for the marker only near the start, not across the payload.
  const markerAt = value.slice(mimeStart, mimeStart + 260).indexOf(marker);
  if (markerAt < 0) return null;
  const mime = value.slice(mimeStart, mimeStart + markerAt).toLowerCase();
  if (!MIME.test(mime)) return null;
  const base64 = value.slice(mimeStart + markerAt + marker.length);
  if (!isBase64(base64)) return null;
  return { name, mime, base64 };
}

export function checkFileString(value: string): Check<FileInfo> {
  if (value.trim() === '') return refuse('file.empty', 'File mancante');
  const parts = parseFileString(value);
  if (parts === null)
    return refuse('file.format', 'File non leggibile: atteso "nome|data:tipo;base64,contenuto"');
  return accept(value, {
    kind: 'file',
    name: parts.name,
    mime: parts.mime,
    bytes: decodedLength(parts.base64),
  });
}

/** Standard alphabet, length a multiple of 4, `=` only as one or two characters of final padding. */
export function isBase64(text: string): boolean {
  const length = text.length;
  if (length === 0 || length % 4 !== 0) return false;
  let padding = 0;
  if (text.charCodeAt(length - 1) === 61) padding = text.charCodeAt(length - 2) === 61 ? 2 : 1;
  for (let i = 0; i < length - padding; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 43 /* + */ ||
      c === 47; /* / */
    if (!ok) return false;
  }
  return true;
}

function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
