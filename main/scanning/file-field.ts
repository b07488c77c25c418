import type { CatalogService } from '../catalog/catalog.ts';
import { AppError } from '../errors.ts';
import type { Register } from '../store/port.ts';

/** The draft exists and the field takes files: checked before a page or a scan moves into it. */
export async function assertFileField(
  d: { store: Register; catalog: CatalogService },
  draftId: string,
  fieldKey: string,
): Promise<void> {
  const row = await d.store.requests.get(draftId);
  if (!row || row.status !== 'draft') throw new AppError('draft_not_found', `Bozza ${draftId} non trovata`);
  const service = await d.catalog.detail(row.environment, row.serviceHash);
  const field = service.fields.find((f) => f.key === fieldKey);
  if (!field || field.tipo !== 'file')
    throw new AppError('invalid_argument', `Il campo ${fieldKey} non accetta file`);
}
