import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { generateMandato } from '../../main/mandato/mandato.ts';
import { cieBack, MARIO, take, tesseraBack } from '../support/documents.ts';
import { photoJpeg, pngImage, textPdf } from '../support/files.ts';
import { CONGEDO, expect } from './fixtures.ts';

export const CLIENT = {
  nome: 'Mario',
  cognome: 'Rossi',
  email: 'mario.rossi@example.it',
  cellulare: '333 123 4567',
  cf: 'RSSMRA85T10A562S',
};

/** Real files on disk, as a clerk would have them: a phone photo, a two-page PDF, a PNG scan. */
export async function clientFiles(): Promise<{ photo: string; pdf: string; png: string; back: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sportello-e2e-files-'));
  const write = (name: string, data: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  return {
    photo: write('carta-identita.jpg', await photoJpeg(2000, 1500)),
    pdf: write('tessera-sanitaria.pdf', await textPdf(2, 'Tessera sanitaria')),
    png: write('mandato-firmato.png', await pngImage(1200, 1700)),
    back: write('carta-identita-retro.jpg', await photoJpeg(1800, 1200)),
  };
}

/**
 * The client's papers as a phone and a scanner name them, so that only their content tells what
 * each is: the identity card's back photographed (CIE: MRZ and the CF barcode), the tessera
 * sanitaria's back scanned (CF barcode), the signed mandato scanned as a PDF.
 */
export async function genericPapers(): Promise<{ idCard: string; tessera: string; mandato: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sportello-e2e-papers-'));
  const write = (name: string, data: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  const mandato = await generateMandato({
    office: { name: 'Patronato di prova', operator: 'Laura' },
    client: { nome: CLIENT.nome, cognome: CLIENT.cognome, codiceFiscale: CLIENT.cf },
    service: { name: CONGEDO },
    date: new Date(),
  });
  return {
    // The CIE's back photographed on a desk, a little turned; the tessera scanned on a page.
    idCard: write('IMG_20250114_101512.jpg', await take(await cieBack(MARIO), { on: 'desk', rotate: 3 })),
    tessera: write('scan0002.png', await take(await tesseraBack(MARIO), { on: 'page', format: 'png' })),
    mandato: write('scansione_003.pdf', mandato),
  };
}

const MIME: Record<string, string> = { jpg: 'image/jpeg', pdf: 'application/pdf', png: 'image/png' };

/** Drops files from disk onto an element, as a drag from the desktop does (DataTransfer with Files). */
export async function dropFiles(page: Page, target: Locator, paths: string[]): Promise<void> {
  const files = paths.map((path) => ({
    name: basename(path),
    mime: MIME[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
    b64: readFileSync(path).toString('base64'),
  }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: f.mime }));
    }
    return transfer;
  }, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

export const slot = (page: Page, field: string, position = 0) =>
  page.locator(`[data-slot="${field}:${position}"]`);

/** Picks a service by typing in the search box and pressing Enter. */
export async function pickService(page: Page, search: string, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Nuova pratica' }).click();
  const box = page.getByRole('textbox', { name: /Cercate un servizio/ });
  await box.fill(search);
  await expect(page.getByRole('option', { name: new RegExp(name) }).first()).toBeVisible();
  await box.press('Enter');
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

export async function fillClient(page: Page, client = CLIENT): Promise<void> {
  await page.getByRole('textbox', { name: 'Nome', exact: true }).fill(client.nome);
  await page.getByRole('textbox', { name: 'Cognome', exact: true }).fill(client.cognome);
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(client.email);
  await page.getByRole('textbox', { name: 'Cellulare', exact: true }).fill(client.cellulare);
  await page.getByRole('textbox', { name: 'Codice fiscale', exact: true }).fill(client.cf);
}

/**
 * The clerk's actions beyond typing values, counted as a new user would do them: each click, each
 * key that is not part of a value (Tab, Enter), each drop of files. Typing text is free.
 */
export class Actions {
  count = 0;
  readonly log: string[] = [];
  private readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  async click(target: Locator, what: string): Promise<void> {
    await target.click();
    this.note(`click ${what}`);
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
    this.note(`key ${key}`);
  }

  async drop(target: Locator, paths: string[]): Promise<void> {
    await dropFiles(this.page, target, paths);
    this.note(`drop ${paths.map((p) => basename(p)).join(' + ')}`);
  }

  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  private note(what: string): void {
    this.count++;
    this.log.push(what);
  }
}
