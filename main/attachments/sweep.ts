import type { RequestStatus } from '../../common/requests.ts';
import type { Logger } from '../ports.ts';
import type { RequestsPort, TrailPort } from '../store/port.ts';
import type { AttachmentStore } from './store.ts';

/** How often a counter looks for scans it holds of requests that moved on elsewhere. */
export const SCANS_SWEEP_MS = 10 * 60_000;

/** While a request is in one of these its scans may still be sent: they stay. */
const NEEDS_SCANS: readonly RequestStatus[] = ['draft', 'sending', 'open'];

/**
 * The scans on this counter's disk (its drafts folder) of requests that no longer need them:
 * sent, cancelled or purged — or deleted, a draft thrown away — by this counter or by another of
 * the office, which cannot reach this disk. Each is deleted and recorded in the trail. A status
 * that no longer needs scans never needs them again (rules.ts), and a deleted request never comes
 * back: what is read here cannot turn wrong before the delete. Answers how many went.
 */
export async function sweepScans(d: {
  attachments: AttachmentStore;
  /** Where this counter's requests are read: on an office, with the drafts held here meanwhile. */
  requests: Pick<RequestsPort, 'get'>;
  trail: TrailPort;
  operator: () => string;
  log: Logger;
}): Promise<number> {
  let swept = 0;
  for (const id of await d.attachments.draftsHere()) {
    const row = await d.requests.get(id);
    if (row && NEEDS_SCANS.includes(row.status)) continue;
    await d.attachments.deleteScans(id);
    await d.trail.add(row ? id : null, 'scans_deleted', d.operator(), {
      draft: id,
      reason: row ? row.status : 'deleted',
    });
    swept++;
  }
  if (swept) d.log.info('scans of requests gone elsewhere deleted', { count: swept });
  return swept;
}
