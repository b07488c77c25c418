import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { keys } from '../../lib/queries.ts';

/*
 * At the first send from a counter whose clerk never gave a name, the name is asked once: saved to
 * Impostazioni (settings.update operatorName) before the request leaves, so it is the one recorded,
 * or left for later. Either way it is not asked again on this PC; where a request shows no
 * operator it says «Operatore non indicato» and where to set it.
 */

const ASKED = 'sportello.operatorAsked';

/** Whether the name was asked already on this PC (harmless UI memory, as the favourite services). */
export function operatorAsked(): boolean {
  return localStorage.getItem(ASKED) === '1';
}

/** `onDone`: answered (saved or «Più tardi»), the send goes on; `onCancel`: closed, nothing sent. */
export function OperatorPrompt({
  opened,
  onDone,
  onCancel,
}: {
  opened: boolean;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const done = () => {
    localStorage.setItem(ASKED, '1');
    onDone();
  };
  const save = useMutation({
    mutationFn: () => api.settings.update({ operatorName: name.trim() }),
    onSuccess: (preferences) => {
      client.setQueryData(keys.settings, preferences);
      done();
    },
  });
  return (
    <Modal opened={opened} onClose={onCancel} title={t('operatorPrompt.title')} data-testid="operator-prompt">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) save.mutate();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('operatorPrompt.text')}</Text>
          <TextInput
            label={t('operatorPrompt.label')}
            placeholder={t('operatorPrompt.placeholder')}
            maxLength={120}
            autoComplete="name"
            data-autofocus
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          {save.isError && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={done}>
              {t('operatorPrompt.later')}
            </Button>
            <Button type="submit" disabled={!name.trim()} loading={save.isPending}>
              {t('operatorPrompt.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
