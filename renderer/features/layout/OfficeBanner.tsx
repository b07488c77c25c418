import { Alert } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficeStatus } from '../../../common/office.ts';
import { api } from '../../api.ts';
import { keys } from '../../lib/queries.ts';

/**
 * Over every page while the office's register does not answer: the counter records and sends
 * nothing then, and main reconnects by itself (the banner goes when the link is back).
 */
export function OfficeBanner() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const status = useQuery({ queryKey: keys.office, queryFn: () => api.office.status() });
  useEffect(
    () =>
      api.on('officeLink', (link) =>
        client.setQueryData<OfficeStatus>(keys.office, (old) => (old ? { ...old, link } : old)),
      ),
    [client],
  );
  const link = status.data?.link;
  if (link?.state !== 'unreachable') return null;
  return (
    <Alert color="red" role="alert" mb="md" data-testid="office-unreachable">
      {link.message ? t('office.unreachable', { message: link.message }) : t('office.unreachableShort')}
    </Alert>
  );
}
