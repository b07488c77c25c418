import { readFile, stat } from 'node:fs/promises';
import type { CardBarcodeReading } from '../../common/reading.ts';
import { lookupPlace } from '../../common/validators/belfiore.ts';
import { MAX_INPUT_BYTES } from '../attachments/limits.ts';
import type { AttachmentStore } from '../attachments/store.ts';
import { AppError } from '../errors.ts';
import type { DocumentReader } from '../reading/port.ts';
import type { ScanTray } from './tray.ts';

/**
 * The codice fiscale printed as a barcode on the back of the tessera sanitaria and the CIE, read
 * (by the document reader, off the main thread) from a card attached to a draft or from a scan of
 * the watched folder.
 */
export class CardReader {
  private readonly d: { attachments: AttachmentStore; tray: ScanTray; reader: DocumentReader };

  constructor(deps: { attachments: AttachmentStore; tray: ScanTray; reader: DocumentReader }) {
    this.d = deps;
  }

  /** From a card attached to a draft; null when it carries none. */
  async fromAttachment(draftId: string, attachmentId: string): Promise<CardBarcodeReading | null> {
    return this.card((await this.d.attachments.preview(draftId, attachmentId)).data);
  }

  /** From a file of the watched folder. */
  async fromScan(scanId: string): Promise<CardBarcodeReading | null> {
    const scan = this.d.tray.scan(scanId);
    const info = await stat(scan.path).catch(() => null);
    if (!info?.isFile()) throw new AppError('not_found', 'La scansione non è più nella cartella');
    if (info.size > MAX_INPUT_BYTES)
      throw new AppError('file_too_large', 'La scansione è troppo grande per leggerne il codice a barre');
    return this.card(await readFile(scan.path));
  }

  private async card(bytes: Uint8Array): Promise<CardBarcodeReading | null> {
    const found = (await this.d.reader.read(bytes)).card;
    if (!found?.placeCode) return found;
    return { ...found, placeName: await lookupPlace(found.placeCode).catch(() => null) };
  }
}
