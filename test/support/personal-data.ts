/*
 * A client nobody else is called like, a draft of theirs, and the search for their traces in
 * bytes: the purge tests on SQLite (requests/personal-data.test.ts) and on the office's
 * PostgreSQL (office/personal-data.test.ts) look for the same strings.
 */
import { codiceFiscaleCheckLetter } from '../../common/validators/codiceFiscale.ts';
import type { TestApp } from './app.ts';
import { photoJpeg, textPdf } from './files.ts';
import { CONGEDO } from './simulator.ts';

/** Any trace of these in a file is a leak. */
export const CLIENT = (() => {
  const first15 = 'QWZXKJ85T10A562';
  return {
    nome: 'Pzkwyq',
    cognome: 'Qwzxkj',
    cf: first15 + codiceFiscaleCheckLetter(first15),
    email: 'pzkwyq.qwzxkj@example.it',
    phone: '3479876543',
  };
})();

/** A draft of CLIENT's congedo with an ID scan and a CF card named after them. */
export async function filledDraft(t: TestApp): Promise<string> {
  const h = t.app.handlers;
  const draft = await h['drafts.create'](CONGEDO);
  await h['drafts.update'](draft.id, {
    fields: { $0: CLIENT.nome, $1: CLIENT.cognome, $2: CLIENT.email, $3: CLIENT.phone, $4: CLIENT.cf },
  });
  await h['attachments.add'](draft.id, '$5', {
    name: `carta ${CLIENT.cognome}.jpg`,
    data: await photoJpeg(300, 200),
  });
  await h['attachments.add'](draft.id, '$6', { name: `cf ${CLIENT.cognome}.pdf`, data: await textPdf(1) });
  return draft.id;
}

/** Which of CLIENT's data (and, with `trigrams`, the surname's trigrams) `text` holds. */
export function traces(text: string, options: { trigrams?: boolean } = {}): string[] {
  const lower = text.toLowerCase();
  const needles = [CLIENT.nome, CLIENT.cognome, CLIENT.cf, CLIENT.email, CLIENT.phone].map((n) =>
    n.toLowerCase(),
  );
  // SQLite's search index keeps trigrams (lower case): the surname's must be gone too.
  const trigrams = options.trigrams === false ? [] : ['qwz', 'wzx', 'zxk', 'xkj'];
  return [...needles, ...trigrams].filter((n) => lower.includes(n));
}
