import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlugConnected } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { environments, type Environment } from '../../../common/environments.ts';
import type { KeyStatus, Preferences, PreferencesPatch } from '../../../common/settings.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { i18next } from '../../i18n/setup.ts';
import { describeError } from '../../lib/errors.ts';
import { keys } from '../../lib/queries.ts';
import { FolderField } from './FolderField.tsx';

export function SettingsPage() {
  const settings = useQuery({ queryKey: keys.settings, queryFn: () => api.settings.get() });
  const keyStatus = useQuery({ queryKey: keys.keys, queryFn: () => api.settings.keyStatus() });
  if (settings.isError) return <ErrorAlert error={settings.error} />;
  if (!settings.data || !keyStatus.data) return <Loader />;
  return (
    <SettingsForm
      key={JSON.stringify(settings.data)}
      preferences={settings.data}
      keyStatus={keyStatus.data}
    />
  );
}

function SettingsForm({ preferences, keyStatus }: { preferences: Preferences; keyStatus: KeyStatus[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraft] = useState(preferences);

  const save = useMutation({
    mutationFn: (patch: PreferencesPatch) => api.settings.update(patch),
    onSuccess: (next) => {
      client.setQueryData(keys.settings, next);
      void client.invalidateQueries({ queryKey: keys.info });
      void i18next.changeLanguage(next.language);
      notifications.show({ color: 'teal', message: t('settings.saved') });
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });

  const set = <K extends keyof Preferences>(key: K, value: Preferences[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  // The folders are not in the form: main's folder dialog sets them (FolderField).
  const changed = (Object.keys(draft) as (keyof PreferencesPatch)[]).filter(
    (k) => draft[k] !== preferences[k] && k !== 'environment' && k !== 'watchFolder',
  );
  const statusOf = (env: Environment) => keyStatus.find((k) => k.environment === env);
  const current = statusOf(preferences.environment);

  return (
    <Stack maw={820} gap="lg">
      <Title order={2}>{t('settings.title')}</Title>

      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Title order={4}>{t('settings.environment')}</Title>
          <SegmentedControl
            value={preferences.environment}
            data={environments.map((e) => ({ value: e, label: t(`env.${e}`) }))}
            onChange={(value) => save.mutate({ environment: value })}
            aria-label={t('settings.environment')}
          />
          <Text size="sm" c="dimmed">
            {t(`settings.envHelp.${preferences.environment}`)}
          </Text>
          {preferences.environment !== 'prova' && current && !current.set && (
            <Alert color="orange">{t('errors.no_api_key')}</Alert>
          )}
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          <Title order={4}>{t('settings.apiKeys')}</Title>
          <Text size="sm" c="dimmed">
            {t('settings.apiKeysHelp')}
          </Text>
          {(['sandbox', 'produzione'] as const).map((env) => (
            <KeyEditor key={env} environment={env} status={statusOf(env)} />
          ))}
          <AccountEmailEditor saved={preferences.accountEmail} />
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Title order={4}>{t('settings.office')}</Title>
          <Group grow>
            <TextInput
              label={t('settings.officeName')}
              value={draft.officeName}
              onChange={(e) => set('officeName', e.currentTarget.value)}
            />
            <TextInput
              label={t('settings.operatorName')}
              value={draft.operatorName}
              onChange={(e) => set('operatorName', e.currentTarget.value)}
            />
          </Group>
          <FolderField
            setting="archiveRoot"
            value={preferences.archiveRoot}
            label={t('settings.archiveRoot')}
            description={t('settings.archiveHelp')}
          />
          <FolderField
            setting="watchFolder"
            value={preferences.watchFolder}
            label={t('settings.watchFolder')}
            description={t('settings.watchHelp')}
          />
          <Textarea
            label={t('settings.esclScanners')}
            description={t('settings.esclHelp')}
            autosize
            minRows={1}
            value={draft.esclScanners.join('\n')}
            onChange={(e) =>
              set(
                'esclScanners',
                e.currentTarget.value
                  .split('\n')
                  .map((line) => line.trim())
                  .filter(Boolean),
              )
            }
          />
          <Group grow>
            <NumberInput
              label={t('settings.pollMinutes')}
              description={t('settings.pollHelp')}
              min={1}
              max={1440}
              value={draft.pollMinutes}
              onChange={(v) => typeof v === 'number' && set('pollMinutes', v)}
            />
            <NumberInput
              label={t('settings.retentionDays')}
              description={t('settings.retentionHelp')}
              min={0}
              max={36500}
              value={draft.retentionDays}
              onChange={(v) => typeof v === 'number' && set('retentionDays', v)}
            />
          </Group>
          <Group grow align="flex-end">
            <Select
              label={t('settings.language')}
              data={[
                { value: 'it', label: 'Italiano' },
                { value: 'en', label: 'English' },
              ]}
              value={draft.language}
              onChange={(v) => v && set('language', v)}
              allowDeselect={false}
            />
            <Switch
              label={t('settings.notifications')}
              checked={draft.notifications}
              onChange={(e) => set('notifications', e.currentTarget.checked)}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" disabled={!changed.length} onClick={() => setDraft(preferences)}>
              {t('settings.undo')}
            </Button>
            <Button
              disabled={!changed.length}
              loading={save.isPending}
              onClick={() => save.mutate(Object.fromEntries(changed.map((k) => [k, draft[k]])))}
            >
              {t('settings.save')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

/** The account email, saved on its own: with a key it reads the wallet's credit for Home. */
function AccountEmailEditor({ saved }: { saved: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [value, setValue] = useState(saved);
  const save = useMutation({
    mutationFn: () => api.settings.update({ accountEmail: value.trim() }),
    onSuccess: (next) => {
      client.setQueryData(keys.settings, next);
      void client.invalidateQueries({ queryKey: keys.credit });
      notifications.show({ color: 'teal', message: t('settings.saved') });
    },
  });
  const changed = value.trim() !== saved;
  return (
    <Group align="flex-end" gap="xs" data-testid="account-email">
      <TextInput
        style={{ flex: 1 }}
        type="email"
        label={t('settings.accountEmail')}
        description={t('settings.accountEmailHelp')}
        value={value}
        autoComplete="off"
        error={save.isError ? describeError(save.error) : undefined}
        onChange={(e) => setValue(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && changed && save.mutate()}
      />
      <Button disabled={!changed} loading={save.isPending} onClick={() => save.mutate()}>
        {t('settings.saveEmail')}
      </Button>
    </Group>
  );
}

function KeyEditor({ environment, status }: { environment: Environment; status: KeyStatus | undefined }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [value, setValue] = useState('');
  const done = () => {
    setValue('');
    void client.invalidateQueries({ queryKey: keys.keys });
    void client.invalidateQueries({ queryKey: keys.credit });
  };
  const setKey = useMutation({
    mutationFn: () => api.settings.setApiKey(environment, value),
    onSuccess: done,
  });
  const clearKey = useMutation({ mutationFn: () => api.settings.clearApiKey(environment), onSuccess: done });
  const test = useMutation({ mutationFn: () => api.settings.testConnection(environment) });

  return (
    <Stack gap={6} data-testid={`key-${environment}`}>
      <Group gap="xs">
        <Text fw={600}>{t(`env.${environment}`)}</Text>
        {status?.set ? (
          <Badge color="teal" variant="light">
            {t('settings.keySet', { hint: status.hint ?? '' })}
          </Badge>
        ) : (
          <Badge color="gray" variant="light">
            {t('settings.keyNotSet')}
          </Badge>
        )}
        {status?.set && !status.persisted && (
          <Badge color="orange" variant="light">
            {t('settings.keySessionOnly')}
          </Badge>
        )}
      </Group>
      <Group align="flex-end" gap="xs">
        <PasswordInput
          style={{ flex: 1 }}
          label={status?.set ? t('settings.replaceKey') : t('settings.setKey')}
          value={value}
          autoComplete="off"
          visibilityToggleButtonProps={{ 'aria-label': t('settings.toggleKey') }}
          onChange={(e) => setValue(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && value.trim() && setKey.mutate()}
        />
        <Button disabled={!value.trim()} loading={setKey.isPending} onClick={() => setKey.mutate()}>
          {t('settings.saveKey')}
        </Button>
        {status?.set && (
          <Button variant="light" color="red" loading={clearKey.isPending} onClick={() => clearKey.mutate()}>
            {t('settings.removeKey')}
          </Button>
        )}
        <Button
          variant="default"
          leftSection={<IconPlugConnected size={16} />}
          disabled={!status?.set}
          loading={test.isPending}
          onClick={() => test.mutate()}
        >
          {t('settings.test')}
        </Button>
      </Group>
      {setKey.isError && (
        <Text c="red" size="sm">
          {describeError(setKey.error)}
        </Text>
      )}
      {clearKey.isError && (
        <Text c="red" size="sm">
          {describeError(clearKey.error)}
        </Text>
      )}
      {test.isError && (
        <Text c="red" size="sm">
          {describeError(test.error)}
        </Text>
      )}
      {test.data && (
        <Text c="teal.8" size="sm">
          {t('settings.testOk', { count: test.data.services, ms: Math.round(test.data.latencyMs) })}
        </Text>
      )}
    </Stack>
  );
}
