import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficeCheck, OfficeForm, OfficePrepared, OfficeStatus } from '../../../common/office.ts';
import { api } from '../../api.ts';
import { describeError } from '../../lib/errors.ts';
import { keys } from '../../lib/queries.ts';

/**
 * Impostazioni → Ufficio: the office's PostgreSQL register. The password goes to main and never
 * comes back (the page only learns that one is kept, and main uses it for the server it was kept
 * for only); the CA file is chosen in main's dialog. Testing, joining, leaving and preparing the
 * database are confirmed in main's dialog; joining and leaving apply after a restart.
 */
export function OfficeCard() {
  const status = useQuery({ queryKey: keys.office, queryFn: () => api.office.status() });
  if (!status.data) return null;
  return <OfficeFormCard key={JSON.stringify(status.data.joined)} status={status.data} />;
}

function OfficeFormCard({ status }: { status: OfficeStatus }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const joined = status.joined;
  const [form, setForm] = useState<Omit<OfficeForm, 'password'>>({
    host: joined?.host ?? '',
    port: joined?.port ?? 5432,
    database: joined?.database ?? 'sportello',
    user: joined?.user ?? '',
    tls: joined?.tls ?? 'verify-full',
  });
  const [password, setPassword] = useState('');
  const [check, setCheck] = useState<OfficeCheck | null>(null);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setCheck(null);
  };
  const values = (): OfficeForm => ({ ...form, password: password || null });
  // The kept password goes only to the server it was typed for: another one needs it typed again.
  const sameServer =
    !!joined &&
    joined.host.toLowerCase() === form.host.trim().toLowerCase() &&
    joined.port === form.port &&
    joined.database === form.database.trim() &&
    joined.user === form.user.trim() &&
    joined.tls === form.tls;
  const keptUsable = !!joined?.passwordSet && sameServer;
  const updated = (next: OfficeStatus) => client.setQueryData(keys.office, next);
  const failed = (error: unknown) => notifications.show({ color: 'red', message: describeError(error) });

  const chooseCa = useMutation({
    mutationFn: () => api.office.chooseCaFile(),
    onSuccess: updated,
    onError: failed,
  });
  const test = useMutation({
    mutationFn: () => api.office.test(values()),
    onSuccess: setCheck,
    onError: failed,
  });
  const join = useMutation({
    mutationFn: () => api.office.join(values()),
    onSuccess: (next) => {
      updated(next);
      notifications.show({ color: 'teal', message: t('settings.register.joinedNotice') });
    },
    onError: failed,
  });
  const leave = useMutation({
    mutationFn: () => api.office.leave(),
    onSuccess: (next) => {
      updated(next);
      notifications.show({ color: 'teal', message: t('settings.register.leftNotice') });
    },
    onError: failed,
  });

  const caFile = status.pendingCaFile ?? joined?.caFile ?? null;
  const server =
    !!form.host.trim() &&
    !!form.database.trim() &&
    !!form.user.trim() &&
    (form.tls === 'disable' || !!caFile);
  const complete = server && (!!password || keptUsable);
  const where = joined ? `${joined.host}:${joined.port}/${joined.database}` : '';

  return (
    <Paper withBorder radius="md" p="md" data-testid="office-register">
      <Stack gap="sm">
        <Title order={4}>{t('settings.register.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('settings.register.help')}
        </Text>
        <Text size="sm">
          {status.inUse === 'office' && joined
            ? t('settings.register.usingOffice', { where })
            : t('settings.register.usingLocal')}
        </Text>
        {joined && status.inUse === 'local' && (
          <Text size="sm">{t('settings.register.joined', { where, user: joined.user })}</Text>
        )}
        {status.link && <LinkState link={status.link} />}
        {status.restartNeeded && (
          <Alert color="orange" role="status">
            {t('settings.register.restart')}
          </Alert>
        )}
        <Group grow align="flex-start">
          <TextInput
            label={t('settings.register.host')}
            value={form.host}
            onChange={(e) => set('host', e.currentTarget.value)}
          />
          <NumberInput
            label={t('settings.register.port')}
            min={1}
            max={65535}
            value={form.port}
            onChange={(v) => typeof v === 'number' && set('port', v)}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t('settings.register.database')}
            value={form.database}
            onChange={(e) => set('database', e.currentTarget.value)}
          />
          <TextInput
            label={t('settings.register.user')}
            value={form.user}
            onChange={(e) => set('user', e.currentTarget.value)}
          />
          <PasswordInput
            label={t('settings.register.password')}
            description={
              keptUsable
                ? t('settings.register.passwordKept')
                : joined?.passwordSet
                  ? t('settings.register.passwordAgain', {
                      where,
                      user: joined.user,
                      tls: t(
                        joined.tls === 'verify-full'
                          ? 'settings.register.tlsWordOn'
                          : 'settings.register.tlsWordOff',
                      ),
                    })
                  : undefined
            }
            value={password}
            autoComplete="off"
            visibilityToggleButtonProps={{ 'aria-label': t('settings.toggleSecret') }}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
              setCheck(null);
            }}
          />
        </Group>
        <SegmentedControl
          aria-label={t('settings.register.tls')}
          value={form.tls}
          data={[
            { value: 'verify-full', label: t('settings.register.tlsOn') },
            { value: 'disable', label: t('settings.register.tlsOff') },
          ]}
          onChange={(v) => set('tls', v === 'disable' ? 'disable' : 'verify-full')}
        />
        {form.tls === 'verify-full' && (
          <Group justify="space-between">
            <Stack gap={0}>
              <Text size="sm" fw={500}>
                {t('settings.register.caFile')}
              </Text>
              <Text size="sm" c="dimmed" data-testid="office-ca">
                {caFile ?? t('settings.register.noCaFile')}
              </Text>
            </Stack>
            <Button variant="default" loading={chooseCa.isPending} onClick={() => chooseCa.mutate()}>
              {t('settings.register.chooseCa')}
            </Button>
          </Group>
        )}
        {check && (
          <Alert color={check.ok ? 'teal' : 'red'} role="status" data-testid="office-check">
            {check.ok
              ? t(
                  check.register.version < check.register.latest
                    ? 'settings.register.testOutdated'
                    : 'settings.register.testOk',
                  {
                    version: check.serverVersion,
                    register: check.register.version,
                    latest: check.register.latest,
                  },
                )
              : check.message}
          </Alert>
        )}
        <Group justify="flex-end">
          {joined && (
            <Button variant="default" color="red" loading={leave.isPending} onClick={() => leave.mutate()}>
              {t('settings.register.leave')}
            </Button>
          )}
          <Button
            variant="default"
            disabled={!complete}
            loading={test.isPending}
            onClick={() => test.mutate()}
          >
            {t('settings.register.test')}
          </Button>
          <Button disabled={!complete} loading={join.isPending} onClick={() => join.mutate()}>
            {joined ? t('settings.register.update') : t('settings.register.join')}
          </Button>
        </Group>
        <PrepareDatabase form={form} ready={server} />
      </Stack>
    </Paper>
  );
}

/**
 * The office's IT person: "Prepara il database" as the owner role, for the counters' user of the
 * form above. The owner's password is sent for this step only; main never keeps it.
 */
function PrepareDatabase({ form, ready }: { form: Omit<OfficeForm, 'password'>; ready: boolean }) {
  const { t } = useTranslation();
  const [owner, setOwner] = useState('');
  const [ownerPassword, setOwnerPassword] = useState('');
  const prepare = useMutation({
    mutationFn: () => api.office.prepare({ ...form, owner, ownerPassword }),
    onSuccess: (done: OfficePrepared) => {
      setOwnerPassword('');
      notifications.show({
        color: 'teal',
        message: t('settings.register.prepared', {
          version: done.version,
          applied: done.applied,
          user: done.counterUser,
        }),
      });
    },
    onError: (error: unknown) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  return (
    <Stack gap="xs" data-testid="office-prepare">
      <Title order={5}>{t('settings.register.prepareTitle')}</Title>
      <Text size="sm" c="dimmed">
        {t('settings.register.prepareHelp')}
      </Text>
      <Group grow align="flex-end">
        <TextInput
          label={t('settings.register.owner')}
          value={owner}
          autoComplete="off"
          onChange={(e) => setOwner(e.currentTarget.value)}
        />
        <PasswordInput
          label={t('settings.register.ownerPassword')}
          value={ownerPassword}
          autoComplete="off"
          visibilityToggleButtonProps={{ 'aria-label': t('settings.toggleSecret') }}
          onChange={(e) => setOwnerPassword(e.currentTarget.value)}
        />
        <Button
          variant="default"
          disabled={!ready || !owner.trim() || !ownerPassword}
          loading={prepare.isPending}
          onClick={() => prepare.mutate()}
        >
          {t('settings.register.prepare')}
        </Button>
      </Group>
    </Stack>
  );
}

function LinkState({ link }: { link: NonNullable<OfficeStatus['link']> }) {
  const { t } = useTranslation();
  if (link.state === 'unreachable')
    return (
      <Alert color="red" role="alert">
        {t('office.unreachable', { message: link.message ?? '' })}
      </Alert>
    );
  return (
    <Text size="sm" c={link.state === 'ok' ? 'teal' : 'dimmed'}>
      {t(link.state === 'ok' ? 'settings.register.ok' : 'settings.register.connecting')}
      {link.moved ? ` ${t('settings.register.moved')}` : ''}
    </Text>
  );
}
