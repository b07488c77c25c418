import { Button, Group, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFolderOpen } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Preferences } from '../../../common/settings.ts';
import { api } from '../../api.ts';
import { describeError } from '../../lib/errors.ts';
import { keys } from '../../lib/queries.ts';

/**
 * A folder of the office (archive, watched scans), shown but not typed: main opens the system's
 * folder dialog and stores what the clerk picks there. A path typed in the page is never used.
 */
export function FolderField({
  setting,
  value,
  label,
  description,
}: {
  setting: 'archiveRoot' | 'watchFolder';
  value: string | null;
  label: string;
  description: string;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const saved = (next: Preferences) => client.setQueryData(keys.settings, next);
  const failed = (error: unknown) => notifications.show({ color: 'red', message: describeError(error) });
  const choose = useMutation({
    mutationFn: () => api.settings.chooseFolder(setting),
    onSuccess: saved,
    onError: failed,
  });
  const clear = useMutation({
    mutationFn: () => api.settings.update({ watchFolder: null }),
    onSuccess: saved,
    onError: failed,
  });
  return (
    <Group align="flex-end" gap="xs" data-testid={`folder-${setting}`}>
      <TextInput
        style={{ flex: 1 }}
        label={label}
        description={description}
        value={value ?? t('settings.noWatchFolder')}
        readOnly
      />
      <Button
        variant="default"
        leftSection={<IconFolderOpen size={16} />}
        loading={choose.isPending}
        onClick={() => choose.mutate()}
      >
        {t('settings.chooseFolder')}
      </Button>
      {setting === 'watchFolder' && value !== null && (
        <Button variant="subtle" color="gray" loading={clear.isPending} onClick={() => clear.mutate()}>
          {t('settings.stopWatching')}
        </Button>
      )}
    </Group>
  );
}
