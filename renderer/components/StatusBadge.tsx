import { Badge, type MantineColor } from '@mantine/core';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestSummary } from '../../common/requests.ts';

const COLORS: Record<RequestSummary['status'], MantineColor> = {
  draft: 'gray',
  sending: 'yellow',
  open: 'yellow',
  pending: 'blue',
  done: 'teal',
  cancelled: 'red',
};

/** The status a clerk reads: the API's own words while it works, ours around them. */
export function statusLabel(
  t: (key: string) => string,
  r: Pick<RequestSummary, 'status' | 'remoteState' | 'awaitingChoice'> &
    Partial<Pick<RequestSummary, 'lastError'>>,
): string {
  if (r.awaitingChoice) return t('status.awaitingChoice');
  // An uncertain submission the clerk must settle (candidates in the detail).
  if (r.status === 'sending' && r.lastError?.code === 'needs_decision') return t('status.toVerify');
  if (r.status === 'pending' && r.remoteState) return r.remoteState;
  return t(`status.${r.status}`);
}

/** The badge's colour: orange when the clerk must decide, else the status's own. */
export const statusColor = (
  request: Pick<RequestSummary, 'status' | 'awaitingChoice'> & Partial<Pick<RequestSummary, 'lastError'>>,
): MantineColor =>
  request.awaitingChoice || request.lastError?.code === 'needs_decision' ? 'orange' : COLORS[request.status];

/**
 * The same badge as a plain element, for lists that draw dozens at once (Pratiche): Mantine's light
 * Badge look from styles.css (`.status-pill`), without a component's props merging per row.
 */
export function StatusPill({
  request,
  label,
}: {
  request: Pick<RequestSummary, 'status' | 'awaitingChoice'> & Partial<Pick<RequestSummary, 'lastError'>>;
  label: string;
}) {
  const color = statusColor(request);
  const style = {
    '--pill-bg': `var(--mantine-color-${color}-light)`,
    '--pill-color': `var(--mantine-color-${color}-light-color)`,
  } as CSSProperties;
  return (
    <span className="status-pill" style={style}>
      {label}
    </span>
  );
}

export function StatusBadge({
  request,
}: {
  request: Pick<RequestSummary, 'status' | 'remoteState' | 'awaitingChoice'> &
    Partial<Pick<RequestSummary, 'lastError'>>;
}) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor(request)} variant="light" radius="sm">
      {statusLabel(t, request)}
    </Badge>
  );
}
