import { AppError } from '../errors.ts';
import { safeName } from './safeName.ts';

/**
 * The two folder levels of the office archive: `<Cognome Nome – CF>/<aaaa-mm-gg servizio – id>/`.
 * The clerk browses them in Explorer or Finder, so they read as words, not as identifiers.
 */

export interface ClientIdentity {
  cognome?: string | null;
  nome?: string | null;
  codiceFiscale?: string | null;
}

export interface RequestIdentity {
  /** When the service was requested. */
  date: Date;
  serviceName: string;
  remoteId: string;
}

const nameMaxLength = 80;
const serviceMaxLength = 60;
const idMaxLength = 40;
const separator = ' – ';
const folderOptions = { keepExtension: false } as const;

/** "Rossi Mario – RSSMRA85T10A562S"; a company (no names) is filed under its CF or partita IVA. */
export function clientFolderName(client: ClientIdentity): string {
  const person = safeName([client.cognome, client.nome].map(titleCase).join(' '), {
    ...folderOptions,
    maxLength: nameMaxLength,
    fallback: '',
  });
  // Only letters and digits make a CF: spaces and dots typed at the counter must not split a client.
  const cf = (client.codiceFiscale ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/gu, '')
    .slice(0, 20);
  const joined = person && cf ? `${person}${separator}${cf}` : person || cf;
  return safeName(joined, { ...folderOptions, fallback: 'Senza nome' });
}

/** "2026-11-23 Indennità per congedo parentale – 5f2829ce065afc21cc60ad0e" (date in Italy). */
export function requestFolderName(request: RequestIdentity): string {
  const service = shorten(
    safeName(request.serviceName, { ...folderOptions, fallback: 'Servizio' }),
    serviceMaxLength,
  );
  const id = safeName(request.remoteId, { ...folderOptions, maxLength: idMaxLength, fallback: '' });
  const head = `${romeDate(request.date)} ${service}`;
  return safeName(id ? `${head}${separator}${id}` : head, folderOptions);
}

function titleCase(text: string | null | undefined): string {
  return (text ?? '')
    .trim()
    .toLocaleLowerCase('it')
    .replace(
      /(^|[\s'’‘`-])(\p{L})/gu,
      (_, before: string, letter: string) => before + letter.toLocaleUpperCase('it'),
    );
}

/** At a word boundary when one is near, with an ellipsis so the clerk sees the name goes on. */
function shorten(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(' ');
  const head =
    space >= maxLength / 2
      ? cut.slice(0, space)
      : safeName(text, { ...folderOptions, maxLength: maxLength - 1 });
  return `${head.replace(/[\s.,;:–-]+$/u, '')}…`;
}

const romeDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function romeDate(date: Date): string {
  if (Number.isNaN(date.getTime())) {
    throw new AppError('invalid_argument', 'Data della pratica non valida', {
      details: { reason: 'invalid_date' },
    });
  }
  const parts = Object.fromEntries(romeDay.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}
