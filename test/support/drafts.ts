import type { AttachmentSource } from '../../common/requests.ts';
import type { App } from '../../main/app.ts';
import { photoJpeg, pngImage, textPdf } from './files.ts';

/** The hash of Indennità per congedo parentale (14,70 €), one of the two seed services. */
export const CONGEDO = '8a7c8386fff43d28182cfa2ad24a3532';

/** The seed client, as a clerk types it (the app normalises the mobile and the CF). */
export const MARIO = {
  $0: 'Mario',
  $1: 'Rossi',
  $2: 'mario.rossi@example.it',
  $3: '333 123 4567',
  $4: 'RSSMRA85T10A562S',
} as const;

/** What the tests attach by default: a phone photo of the ID, a two-page PDF, a PNG mandato. */
export async function defaultDocuments(): Promise<Record<string, AttachmentSource>> {
  return {
    $5: { name: 'carta-identita.jpg', data: await photoJpeg() },
    $6: { name: 'tessera.pdf', data: await textPdf(2) },
    $7: { name: 'mandato.png', data: await pngImage() },
  };
}

/** The hash of Riscatto (accredito figurativo) del servizio militare: the same fields as the congedo. */
export const RISCATTO = '0d9ada4b11f4493674559264d6879948';

/**
 * A congedo parentale draft (or, with `service`, another seed service's) filled as a clerk would:
 * the five fields (with `fields` overriding some) and the documents (`documents`, or the default
 * three). Returns its id.
 */
export async function congedoDraft(
  app: App,
  options: {
    fields?: Record<string, string>;
    documents?: Record<string, AttachmentSource>;
    service?: string;
  } = {},
): Promise<string> {
  const h = app.handlers;
  const draft = await h['drafts.create'](options.service ?? CONGEDO);
  await h['drafts.update'](draft.id, { fields: { ...MARIO, ...options.fields } });
  for (const [key, source] of Object.entries(options.documents ?? (await defaultDocuments())))
    await h['attachments.add'](draft.id, key, source);
  return draft.id;
}

/** Prices a draft and sends it at that price, as the clerk's send button does. */
export async function sendDraft(app: App, id: string) {
  const quote = await app.handlers['requests.quote'](id);
  return app.handlers['requests.submit'](id, quote.total);
}
