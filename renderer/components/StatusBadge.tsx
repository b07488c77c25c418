import { Badge, type MantineColor } from '@mantine/core';
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

export function StatusBadge({
  request,
}: {
  request: Pick<RequestSummary, 'status' | 'remoteState' | 'awaitingChoice'> &
    Partial<Pick<RequestSummary, 'lastError'>>;
}) {
  const { t } = useTranslation();
  return (
    <Badge
      color={
        request.awaitingChoice || request.lastError?.code === 'needs_decision'
          ? 'orange'
          : COLORS[request.status]
      }
      variant="light"
      radius="sm"
    >
      {statusLabel(t, request)}
    </Badge>
  );
}
