import type { Environment } from '../../common/environments.ts';
import type { AccountIssue } from '../../common/requests.ts';
import { acceptedFiles } from '../attachments/normalize.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import type { HandlersOf } from '../dispatch.ts';
import { AppError } from '../errors.ts';
import type { BackgroundWork } from '../background.ts';
import type { LedgerPort } from '../store/port.ts';
import type { RequestServices } from './services.ts';
import { toDetail } from './views.ts';

export interface RequestHandlersDeps {
  services: RequestServices;
  catalog: CatalogService;
  background: BackgroundWork;
  now: () => number;
  operator: () => string;
  environment: () => Environment;
}

/** `drafts.*` and `attachments.*`: the request the clerk is filling in, and its papers. */
export function draftHandlers({
  services,
}: Pick<RequestHandlersDeps, 'services'>): HandlersOf<'drafts' | 'attachments'> {
  const { drafts, attachments } = services;
  return {
    'drafts.create': async (hash, options) => drafts.create(hash, { clientCf: options?.clientCf }),
    'drafts.get': async (id) => drafts.get(id),
    'drafts.list': async () => drafts.list(),
    'drafts.update': async (id, patch) => drafts.update(id, patch),
    'drafts.discard': async (id) => {
      await drafts.discard(id);
      return null;
    },
    'attachments.add': async (id, fieldKey, source, position) =>
      drafts.addAttachment(id, fieldKey, source, position),
    'attachments.remove': async (id, attachmentId) => {
      await drafts.removeAttachment(id, attachmentId);
      return drafts.get(id);
    },
    'attachments.preview': async (id, attachmentId) => attachments.preview(id, attachmentId),
    'attachments.place': async (id, sources, hint) => drafts.placeAll(id, sources, hint),
    'attachments.read': async (id, attachmentId) => drafts.readAttachment(id, attachmentId),
    'attachments.move': async (id, attachmentId, fieldKey) => {
      await drafts.moveAttachment(id, attachmentId, fieldKey);
      return drafts.get(id);
    },
    'attachments.formats': async () => acceptedFiles(),
  };
}

/** `requests.*` and `duplicates.*`: sending, following, cancelling, the log and Home. */
export function requestHandlers(d: RequestHandlersDeps): HandlersOf<'requests' | 'duplicates' | 'account'> {
  const {
    store,
    ledger,
    lifecycle,
    submitter,
    tracker,
    documents,
    charges,
    account,
    duplicates,
    attachments,
    summaryOf,
    summariesOf,
  } = d.services;
  const mustGet = async (id: string) => {
    const row = await store.requests.get(id);
    if (!row) throw new AppError('request_not_found', `Pratica ${id} non trovata`);
    return row;
  };
  return {
    'requests.quote': async (id) => submitter.quote(id),
    'requests.submit': async (id, confirmed) => summaryOf(await submitter.submit(id, confirmed)),
    'requests.retry': async (id) => {
      const row = await mustGet(id);
      if (row.status === 'sending' || row.status === 'open') return summaryOf(await submitter.resume(id));
      if (row.status === 'done') return summaryOf(await documents.download(id));
      return summaryOf(await tracker.refresh(id));
    },
    'requests.list': async (filter) => {
      const environment = filter.environment === 'current' ? d.environment() : filter.environment;
      const page = await store.requests.search({ ...filter, environment });
      return { rows: await summariesOf(page.rows), total: page.total };
    },
    'requests.choices': async () => store.requests.choices(),
    'requests.get': async (id) => {
      const row = await mustGet(id);
      const outputs = await store.documents.of(id);
      return toDetail(row, {
        service: (await d.catalog.cachedDetail(row.environment, row.serviceHash))?.detail ?? null,
        attachments: await attachments.infos(id),
        documents: outputs,
        events: await store.trail.of(id),
        here: await documents.onThisCounter(outputs),
        archiveFolder: documents.folderOnThisCounter(row),
        missingScopes: d.services.missingScopes(row.environment),
        deleteRefusal: d.services.deleteRefusal(row.environment),
      });
    },
    'requests.refresh': async (id) => summaryOf(await tracker.refresh(id)),
    'requests.refreshAll': async () => {
      const report = await tracker.pollAll();
      return { checked: report.checked, changed: report.changed };
    },
    'requests.cancel': async (id, motivo) => summaryOf(await lifecycle.cancel(id, motivo)),
    'requests.chooseResult': async (id, idRicerca, indice) =>
      summaryOf(await lifecycle.chooseResult(id, idRicerca, indice)),
    'requests.resolveSubmission': async (id, choice) => summaryOf(await submitter.resolve(id, choice)),
    'requests.checkIssue': async (env, issueId) => {
      if (!(await charges.check(env, issueId, d.operator())))
        throw new AppError('not_found', 'Segnalazione non trovata o già controllata');
      await store.trail.add(null, 'checked', d.operator(), { environment: env, transaction: issueId });
      return null;
    },
    'requests.recordExport': async (kind, rows) => {
      // Filters are not recorded: a search text may be a client's name or codice fiscale.
      await store.trail.add(null, 'exported', d.operator(), { kind, rows });
      return null;
    },
    'requests.home': async () => {
      const environment = d.environment();
      // The account's requests and charges are read behind Home, now and then: the next Home shows
      // what no request of the log explains. The requests first: a charge may be theirs.
      d.background.run('account', async () => {
        await account.runIfStale(environment, 10 * 60_000);
        await charges.runIfStale(environment, 10 * 60_000);
      });
      const orphans = await account.issues(environment);
      const today = new Date(d.now());
      today.setHours(0, 0, 0, 0);
      return {
        attention: await summariesOf(await store.requests.attention(50)),
        inProgress: await summariesOf(await store.requests.recent('pending', 100)),
        doneToday: await summariesOf(await store.requests.recent('done', 100, today.getTime())),
        drafts: await summariesOf(
          (await store.requests.byStatus(['draft'])).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 50),
        ),
        // The account's requests first: their charges' text points to them ("qui sopra").
        accountIssues: [
          ...orphans.issues,
          ...(await charges.issues(environment)),
          ...(await unusedOpen(ledger, environment)),
        ],
        moreOrphans: orphans.more,
      };
    },
    // A decision changes what the account's charges are matched to: they are matched again at once.
    'account.link': async (env, remoteId, requestId) => {
      await account.link(env, remoteId, requestId);
      await charges.run(env);
      return null;
    },
    'account.disown': async (env, remoteId) => {
      await account.disown(env, remoteId);
      await charges.run(env);
      return null;
    },
    'account.cancel': async (env, remoteId) => {
      await account.cancel(env, remoteId);
      return null;
    },
    'duplicates.check': async (id) => duplicates.check(id),
    'duplicates.acknowledge': async (id, ids) => {
      await duplicates.acknowledge(id, ids);
      return duplicates.check(id);
    },
  };
}

/** Open requests of ours nobody wants that the service would not delete: shown, never left silently. */
async function unusedOpen(ledger: LedgerPort, environment: Environment): Promise<AccountIssue[]> {
  return (await ledger.abandoned())
    .filter((e) => e.environment === environment && e.deleteError !== null)
    .map((e) => ({
      kind: 'unused_open',
      id: e.remoteId,
      environment,
      remoteId: e.remoteId,
      requestId: e.requestId,
      amount: e.price,
      at: e.createdAt ?? e.notedAt,
      detail: e.deleteError,
      serviceName: null,
      stato: null,
      transaction: 'open' as const,
    }));
}
