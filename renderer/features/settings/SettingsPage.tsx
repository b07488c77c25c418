import {
  Alert,
  Button,
  Group,
  Loader,
  NumberInput,
  Paper,
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
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CredentialStatus } from '../../../common/credentials.ts';
import { environments, type Environment } from '../../../common/environments.ts';
import type { Preferences, PreferencesPatch } from '../../../common/settings.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { i18next } from '../../i18n/setup.ts';
import { describeError } from '../../lib/errors.ts';
import { keys } from '../../lib/queries.ts';
import { CredentialsCard } from './CredentialsCard.tsx';
import { DocumentsAccessCard } from './DocumentsAccessCard.tsx';
import { OfficeCard } from './OfficeCard.tsx';
import { ProbeCard } from './ProbeCard.tsx';
import { FolderField } from './FolderField.tsx';

export function SettingsPage() {
  const settings = useQuery({ queryKey: keys.settings, queryFn: () => api.settings.get() });
  const credentials = useQuery({ queryKey: keys.credentials, queryFn: () => api.settings.credentials() });
  if (settings.isError) return <ErrorAlert error={settings.error} />;
  if (credentials.isError) return <ErrorAlert error={credentials.error} />;
  if (!settings.data || !credentials.data) return <Loader />;
  return (
    <SettingsForm
      key={JSON.stringify(settings.data)}
      preferences={settings.data}
      credentials={credentials.data}
    />
  );
}

function SettingsForm({
  preferences,
  credentials,
}: {
  preferences: Preferences;
  credentials: CredentialStatus[];
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraft] = useState(preferences);

  const save = useMutation({
    mutationFn: (patch: PreferencesPatch) => api.settings.update(patch),
    onSuccess: (next) => {
      client.setQueryData(keys.settings, next);
      void client.invalidateQueries({ queryKey: keys.info });
      // A new counter name: main publishes it with this counter's key when asked again.
      void client.invalidateQueries({ queryKey: keys.filesAccess });
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
  const statusOf = (env: Environment) => credentials.find((k) => k.environment === env);
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
          {current?.kind === 'none' && <Alert color="orange">{t('errors.no_api_key')}</Alert>}
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          <Title order={4}>{t('settings.apiKeys')}</Title>
          <Text size="sm" c="dimmed">
            {t('settings.apiKeysHelp')}
          </Text>
          {(['sandbox', 'produzione'] as const).map((env) => {
            const status = statusOf(env);
            return status && <CredentialsCard key={env} environment={env} status={status} />;
          })}
        </Stack>
      </Paper>

      <ProbeCard ready={(statusOf('sandbox')?.kind ?? 'none') !== 'none'} />

      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Title order={4}>{t('settings.office')}</Title>
          <Group grow align="flex-end">
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
            <TextInput
              label={t('settings.counterName')}
              description={t('settings.counterHelp')}
              maxLength={60}
              value={draft.counterName}
              onChange={(e) => set('counterName', e.currentTarget.value)}
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

      <DocumentsAccessCard />
      <OfficeCard />
    </Stack>
  );
}
