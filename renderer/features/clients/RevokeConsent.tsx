import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { keys } from '../../lib/queries.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** Revoking the consent deletes the client's documents on file at once: asked once more first. */
export function RevokeConsent({
  cf,
  requestId,
  label,
}: {
  cf: string;
  /** The draft at the counter, for the trail; null from the client's page. */
  requestId: string | null;
  label?: string;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api.clients.revokeConsent(cf, requestId),
    onSuccess: (updated) => {
      client.setQueryData(keys.client(cf), updated);
      setOpen(false);
      notifications.show({ message: t('clients.revoked') });
    },
  });
  return (
    <>
      <Button
        size="xs"
        variant="light"
        color="red"
        leftSection={<IconTrash size={14} aria-hidden />}
        onClick={() => setOpen(true)}
      >
        {label ?? t('clients.revoke')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('clients.revokeTitle')}>
        <Stack>
          <Text size="sm">{t('clients.revokeText')}</Text>
          <ErrorAlert error={revoke.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.back')}
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate()}>
              {t('clients.revoke')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
