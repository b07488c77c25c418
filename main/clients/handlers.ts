import type { HandlersOf } from '../dispatch.ts';
import type { ClientDirectory } from './directory.ts';
import type { DocumentsAccess } from './documents-access.ts';
import type { ClientFiles } from './files.ts';

/**
 * `clients.*`: the client view by codice fiscale, the documents kept on file with consent, and who
 * may open them (Impostazioni → Ufficio; a grant is confirmed in main's dialog).
 */
export function clientHandlers(
  clients: ClientDirectory,
  files: ClientFiles,
  access: DocumentsAccess,
): HandlersOf<'clients'> {
  return {
    'clients.search': async (text) => clients.search(text),
    'clients.get': async (cf) => clients.get(cf),
    'clients.consent': async (cf, expiry, requestId) => files.grant(cf, expiry, requestId),
    'clients.revokeConsent': async (cf, requestId) => {
      await files.revoke(cf, requestId);
      return clients.get(cf);
    },
    'clients.useFiles': async (id) => files.useOn(id),
    'clients.filesAccess': async () => access.status(),
    'clients.grantFilesAccess': async (counterId) => access.grant(counterId),
  };
}
