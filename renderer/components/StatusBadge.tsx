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
  r: Pick<RequestSummary, 'status' | 'remoteState' | 'awaitingChoice'>,
): string {
  if (r.awaitingChoice) return t('status.awaitingChoice');
  if (r.status === 'pending' && r.remoteState) return r.remoteState;
  return t(`status.${r.status}`);
}

export function StatusBadge({
  request,
}: {
  request: Pick<RequestSummary, 'status' | 'remoteState' | 'awaitingChoice'>;
}) {
  const { t } = useTranslation();
  return (
    <Badge color={request.awaitingChoice ? 'orange' : COLORS[request.status]} variant="light" radius="sm">
      {statusLabel(t, request)}
    </Badge>
  );
}
