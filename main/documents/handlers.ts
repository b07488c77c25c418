import type { HandlersOf } from '../dispatch.ts';
import type { DocumentService } from './service.ts';

/** `documents.*`: the outputs of finished requests, opened, shown or read for printing. */
export function documentHandlers(documents: DocumentService): HandlersOf<'documents'> {
  return {
    'documents.open': async (documentId) => {
      await documents.open(documentId);
      return null;
    },
    'documents.read': async (documentId) => documents.read(documentId),
    'documents.showInFolder': async (documentId) => {
      await documents.showInFolder(documentId);
      return null;
    },
  };
}
