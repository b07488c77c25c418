import {
  Alert,
  Button,
  Group,
  Loader,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
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
import { useSearchParams } from '../../lib/router.tsx';
import { CredentialsCard } from './CredentialsCard.tsx';
import { DocumentsAccessCard } from './DocumentsAccessCard.tsx';
import { OfficeCard } from './OfficeCard.tsx';
import { ProbeCard } from './ProbeCard.tsx';
import { ClientPrices } from './ClientPrices.tsx';
import { FolderField } from './FolderField.tsx';
import { PrefixInput } from './PrefixInput.tsx';

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
  const [params] = useSearchParams();
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
  // Main confirms the switch in its own dialog, or refuses it (no credentials): said here, by the control.
  const switchTo = useMutation({
    mutationFn: (environment: Environment) => api.settings.update({ environment }),
    onSuccess: (next) => {
      client.setQueryData(keys.settings, next);
      void client.invalidateQueries({ queryKey: keys.info });
      notifications.show({
        color: 'teal',
        message: t('settings.switched', { env: t(`env.${next.environment}`) }),
      });
    },
  });

  const set = <K extends keyof Preferences>(key: K, value: Preferences[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  // The folders are not in the form: main's folder dialog sets them (FolderField).
  const changed = (Object.keys(draft) as (keyof PreferencesPatch)[]).filter(
    (k) => draft[k] !== preferences[k] && k !== 'environment' && k !== 'watchFolder',
  );
  /** The form's changes; a retention period set here is a choice made (no first-start question). */
  const patch = (): PreferencesPatch => ({
    ...Object.fromEntries(changed.map((k) => [k, draft[k]])),
    ...(changed.includes('retentionDays') ? { retentionAsked: true } : {}),
  });
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
            onChange={(value) => switchTo.mutate(value)}
            disabled={switchTo.isPending}
            aria-label={t('settings.environment')}
            data-testid="environment-switch"
          />
          <Text size="sm" c="dimmed">
            {t(`settings.envHelp.${preferences.environment}`)}
          </Text>
          {switchTo.isError && (
            <Alert color="orange" role="alert" data-testid="environment-refused">
              {describeError(switchTo.error)}
            </Alert>
          )}
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
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('settings.officeName')}
              maxLength={200}
              value={draft.officeName}
              onChange={(e) => set('officeName', e.currentTarget.value)}
            />
            <TextInput
              label={t('settings.officeAddress')}
              maxLength={300}
              value={draft.officeAddress}
              onChange={(e) => set('officeAddress', e.currentTarget.value)}
            />
            <PrefixInput value={draft.numberPrefix} onChange={(v) => set('numberPrefix', v)} />
            <TextInput
              label={t('settings.operatorName')}
              // «Operatore non indicato» links here (OperatorName): the field it means, in focus.
              autoFocus={params.get('campo') === 'operatore'}
              maxLength={120}
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
          </SimpleGrid>
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
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
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
          </SimpleGrid>
          {preferences.retentionAsked && preferences.retentionDays === 0 && (
            <Alert color="orange" data-testid="retention-never">
              {t('settings.retentionNever')}
            </Alert>
          )}
          <ClientPrices
            defaultPrice={draft.clientPriceDefault}
            prices={draft.clientPrices}
            showsCost={draft.receiptShowsCost}
            onDefault={(v) => set('clientPriceDefault', v)}
            onPrices={(v) => set('clientPrices', v)}
            onShowsCost={(v) => set('receiptShowsCost', v)}
          />
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
            <Button disabled={!changed.length} loading={save.isPending} onClick={() => save.mutate(patch())}>
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
