import type { HandlersOf } from '../dispatch.ts';
import type { CardReader } from './card-reader.ts';
import type { Scanners } from './scanners.ts';
import type { ScanTray } from './tray.ts';

/** `scanning.*`, `scans.*`, `barcode.*`: the counter's scanners, its scan folder, card barcodes. */
export function scanningHandlers(d: {
  scanners: Scanners;
  tray: ScanTray;
  cards: CardReader;
}): HandlersOf<'scanning' | 'scans' | 'barcode'> {
  const { scanners, tray, cards } = d;
  return {
    'scanning.devices': async () => scanners.survey(),
    'scanning.scan': async (draftId, fieldKey, deviceId, options) =>
      scanners.scan(draftId, fieldKey, deviceId, options),
    'scanning.cancel': async (deviceId) => {
      scanners.cancel(deviceId);
      return null;
    },
    'scans.recent': async () => tray.recent(),
    'scans.status': async () => tray.status(),
    'scans.use': async (draftId, fieldKey, scanId, position) => tray.use(draftId, fieldKey, scanId, position),
    'scans.dismiss': async (scanId) => {
      tray.dismiss(scanId);
      return null;
    },
    'barcode.read': async (draftId, attachmentId) => cards.fromAttachment(draftId, attachmentId),
    'barcode.readScan': async (scanId) => cards.fromScan(scanId),
  };
}
