import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPlugConnected, IconQuestionMark, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionCheck, CredentialStatus, ScopeCheck, Spending } from '../../../common/credentials.ts';
import { ApiError } from '../../../common/api-error.ts';
import type { Environment } from '../../../common/environments.ts';
import { api } from '../../api.ts';
import { describeError, errorCode } from '../../lib/errors.ts';
import { day, euro, net } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';

type Mode = 'key' | 'token';

/**
 * One environment's Openapi credentials: the account email and API key (the app makes and renews
 * its token), or a ready token; what is stored (hints only); "Prova connessione" with each scope.
 */
export function CredentialsCard({
  environment,
  status,
}: {
  environment: Environment;
  status: CredentialStatus;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [mode, setMode] = useState<Mode>(status.kind === 'token' ? 'token' : 'key');
  const [email, setEmail] = useState(status.email ?? '');
  const [apiKey, setApiKey] = useState('');
  const [token, setToken] = useState('');
  const set = status.kind !== 'none';

  const test = useMutation({
    mutationFn: () => api.settings.testConnection(environment),
    // What it found (a ready token's missing scopes, a token made anew) shows in the status too.
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.credentials });
      void client.invalidateQueries({ queryKey: ['settings.spending'] });
    },
  });
  const saved = (next: CredentialStatus) => {
    client.setQueryData<CredentialStatus[]>(keys.credentials, (all) =>
      all?.map((s) => (s.environment === next.environment ? next : s)),
    );
    void client.invalidateQueries({ queryKey: keys.credit });
    setApiKey('');
    setToken('');
    test.reset();
  };
  const saveKey = useMutation({
    mutationFn: () => api.settings.setApiKey(environment, email.trim(), apiKey),
    onSuccess: (next) => {
      saved(next);
      notifications.show({ color: 'teal', message: t('settings.saved') });
    },
  });
  const saveToken = useMutation({
    mutationFn: () => api.settings.setToken(environment, token),
    onSuccess: (next) => {
      saved(next);
      notifications.show({ color: 'teal', message: t('settings.saved') });
    },
  });
  const clear = useMutation({
    mutationFn: () => api.settings.clearCredentials(environment),
    onSuccess: saved,
  });

  const keyError = saveKey.isError
    ? errorCode(saveKey.error) === 'unauthorized'
      ? t('settings.badKey')
      : describeError(saveKey.error)
    : null;

  return (
    <Paper withBorder radius="md" p="md" data-testid={`key-${environment}`}>
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={5}>{t(`env.${environment}`)}</Title>
          <Badge color={set ? 'teal' : 'gray'} variant="light">
            {t(`settings.kind.${status.kind}`)}
          </Badge>
          {set && !status.persisted && (
            <Badge color="orange" variant="light">
              {t('settings.keySessionOnly')}
            </Badge>
          )}
        </Group>

        {status.unreadable && <Alert color="orange">{t('settings.unreadable')}</Alert>}
        {set && !status.unreadable && (
          <Stack gap={2} data-testid={`stored-${environment}`}>
            <Text size="sm">
              {status.kind === 'key'
                ? t('settings.storedKey', {
                    email: status.email ?? '—',
                    key: status.keyHint ?? '—',
                    token: status.tokenHint ?? '—',
                  })
                : t('settings.storedToken', { token: status.tokenHint ?? '—' })}
            </Text>
            <Text size="sm" c="dimmed">
              {status.tokenExpiresAt !== null
                ? t('settings.expires', { date: day(status.tokenExpiresAt) })
                : t('settings.expiresUnknown')}
            </Text>
          </Stack>
        )}
        {set && !status.unreadable && status.missingScopes.length > 0 && <MissingScopes status={status} />}

        <SegmentedControl
          size="xs"
          w="fit-content"
          value={mode}
          onChange={setMode}
          data={[
            { value: 'key', label: t('settings.modeKey') },
            { value: 'token', label: t('settings.modeToken') },
          ]}
        />
        {mode === 'key' ? (
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              type="email"
              label={t('settings.email')}
              value={email}
              autoComplete="off"
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              style={{ flex: 1 }}
              label={status.kind === 'key' ? t('settings.apiKeyReplace') : t('settings.apiKey')}
              value={apiKey}
              autoComplete="off"
              visibilityToggleButtonProps={{ 'aria-label': t('settings.toggleSecret') }}
              onChange={(e) => setApiKey(e.currentTarget.value)}
              onKeyDown={(e) => e.key === 'Enter' && email.trim() && apiKey.trim() && saveKey.mutate()}
            />
            <Button
              disabled={!email.trim() || !apiKey.trim()}
              loading={saveKey.isPending}
              onClick={() => saveKey.mutate()}
            >
              {t('settings.saveKey')}
            </Button>
          </Group>
        ) : (
          <Stack gap={4}>
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <PasswordInput
                style={{ flex: 1 }}
                label={status.kind === 'token' ? t('settings.tokenReplace') : t('settings.token')}
                value={token}
                autoComplete="off"
                visibilityToggleButtonProps={{ 'aria-label': t('settings.toggleSecret') }}
                onChange={(e) => setToken(e.currentTarget.value)}
                onKeyDown={(e) => e.key === 'Enter' && token.trim() && saveToken.mutate()}
              />
              <Button
                disabled={!token.trim()}
                loading={saveToken.isPending}
                onClick={() => saveToken.mutate()}
              >
                {t('settings.saveToken')}
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              {t('settings.tokenOnlyNote')}
            </Text>
          </Stack>
        )}
        {keyError && mode === 'key' && (
          <Text c="red" size="sm">
            {keyError}
          </Text>
        )}
        {saveToken.isError && mode === 'token' && (
          <Text c="red" size="sm">
            {describeError(saveToken.error)}
          </Text>
        )}

        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconPlugConnected size={16} />}
            disabled={!set}
            loading={test.isPending}
            onClick={() => test.mutate()}
          >
            {t('settings.test')}
          </Button>
          {set && (
            <Button variant="subtle" color="red" loading={clear.isPending} onClick={() => clear.mutate()}>
              {t('settings.removeKey')}
            </Button>
          )}
        </Group>
        {clear.isError && (
          <Text c="red" size="sm">
            {describeError(clear.error)}
          </Text>
        )}
        {test.isError && (
          <Alert color="red" data-testid={`check-${environment}`}>
            {describeError(test.error)}
          </Alert>
        )}
        {test.data && <ConnectionResult check={test.data} />}
        {status.kind === 'key' && !status.unreadable && <SpendingCap status={status} onSaved={saved} />}
      </Stack>
    </Paper>
  );
}

/** The needed scopes these credentials lack, each with what it blocks: those calls are not tried. */
function MissingScopes({ status }: { status: CredentialStatus }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" data-testid={`missing-scopes-${status.environment}`}>
      <Stack gap={4}>
        <Text size="sm">
          {status.kind === 'key' ? t('settings.accountMissing') : t('settings.tokenMissing')}
        </Text>
        {status.missingScopes.map((scope) => (
          <ScopeLine key={scope} check={{ scope, status: 'missing' }} />
        ))}
      </Stack>
    </Alert>
  );
}

/**
 * This counter's spending cap (its token's `limits.walletAmount`) and what the token spent beside
 * what this counter's log says: each counter of an office has its own token, and its own cap.
 */
function SpendingCap({
  status,
  onSaved,
}: {
  status: CredentialStatus;
  onSaved: (next: CredentialStatus) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [cap, setCap] = useState<number | string>(status.spendingCap ?? '');
  const spending = useQuery({
    queryKey: ['settings.spending', status.environment],
    queryFn: () => api.settings.spending(status.environment),
  });
  const apply = useMutation({
    mutationFn: (value: number | null) => api.settings.setSpendingCap(status.environment, value),
    onSuccess: (next) => {
      onSaved(next);
      setCap(next.spendingCap ?? '');
      void client.invalidateQueries({ queryKey: ['settings.spending'] });
      notifications.show({ color: 'teal', message: t('spending.capSaved') });
    },
  });
  const typed = typeof cap === 'number' && cap > 0 ? Math.round(cap * 100) / 100 : null;
  return (
    <Stack gap={4} data-testid={`spending-${status.environment}`}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <NumberInput
          w={320}
          label={t('spending.capLabel')}
          value={cap}
          onChange={setCap}
          min={0.01}
          decimalScale={2}
          decimalSeparator=","
          thousandSeparator="."
          allowNegative={false}
        />
        <Button
          variant="default"
          disabled={typed === null || typed === status.spendingCap}
          loading={apply.isPending && apply.variables !== null}
          onClick={() => apply.mutate(typed)}
        >
          {t('spending.capApply')}
        </Button>
        {status.spendingCap !== null && (
          <Button
            variant="subtle"
            loading={apply.isPending && apply.variables === null}
            onClick={() => apply.mutate(null)}
          >
            {t('spending.capRemove')}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {t('spending.capHelp')}
      </Text>
      <Text size="sm">
        {status.spendingCap !== null
          ? t('spending.capSet', { cap: euro(status.spendingCap) })
          : t('spending.capNone')}
      </Text>
      {apply.isError && (
        <Text c="red" size="sm">
          {describeError(apply.error)}
        </Text>
      )}
      {spending.data && <SpendingLine spending={spending.data} />}
    </Stack>
  );
}

function SpendingLine({ spending: s }: { spending: Spending }) {
  const { t } = useTranslation();
  if (s.status === 'error')
    return (
      <Text size="sm" c="dimmed">
        {t('spending.lineError', {
          message: describeError(new ApiError({ code: s.error ?? 'internal', message: '' })),
        })}
      </Text>
    );
  if (s.status === 'unavailable' || !s.token)
    return (
      <Text size="sm" c="dimmed">
        {t('spending.lineUnavailable')}
      </Text>
    );
  return (
    <Text size="sm" c={s.status === 'mismatch' ? 'orange.8' : undefined} data-testid="spending-line">
      {t('spending.line', {
        since: day(s.since),
        token: euro(s.token.amount),
        tokenRequests: t('spending.charges', { count: s.token.requests ?? 0 }),
        log: net(s.log.amount),
        logRequests: t('spending.requests', { count: s.log.requests }),
      })}
      {s.status === 'mismatch' && ` ${t('spending.lineMismatch')}`}
      {s.status === 'sending' && ` ${t('spending.lineSending')}`}
    </Text>
  );
}

/** What "Prova connessione" found: the catalog, each scope (a missing one says what it blocks), the wallet. */
export function ConnectionResult({ check }: { check: ConnectionCheck }) {
  const { t } = useTranslation();
  const missing = check.scopes.filter((s) => s.status !== 'granted');
  const absent = missing.filter((s) => s.status === 'missing').length;
  const ms = Math.round(check.latencyMs);
  const allGood = missing.length === 0 && check.services !== null;
  return (
    <Alert
      color={allGood ? 'teal' : 'orange'}
      data-testid={`check-${check.environment}`}
      title={
        check.services !== null
          ? t('settings.testOk', { count: check.services, ms })
          : t('settings.testNoCatalog', { ms })
      }
    >
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          {absent > 0
            ? t('settings.scopesMissing', { count: absent })
            : missing.length > 0
              ? t('settings.scopesUnverified')
              : t('settings.scopesAll')}
        </Text>
        <Stack gap={4}>
          {[...missing, ...check.scopes.filter((s) => s.status === 'granted')].map((s) => (
            <ScopeLine key={s.scope} check={s} />
          ))}
        </Stack>
        <Text size="sm" data-testid={`wallet-${check.environment}`}>
          {check.wallet.status === 'ok'
            ? t('settings.walletOk', { amount: euro(check.wallet.credit) })
            : check.wallet.status === 'no_key'
              ? t('settings.walletNoKey')
              : t('settings.walletError', {
                  message: describeError(
                    new ApiError({ code: check.wallet.error ?? 'internal', message: '' }),
                  ),
                })}
        </Text>
      </Stack>
    </Alert>
  );
}

function ScopeLine({ check }: { check: ScopeCheck }) {
  const { t } = useTranslation();
  const look = {
    granted: { color: 'teal', icon: <IconCheck size={12} />, text: t('settings.scopeGranted') },
    missing: { color: 'red', icon: <IconX size={12} />, text: t(`settings.scopeBlocks.${check.scope}`) },
    unknown: { color: 'gray', icon: <IconQuestionMark size={12} />, text: t('settings.scopeUnknown') },
  }[check.status];
  return (
    <Group gap={8} wrap="nowrap" data-scope={check.scope} data-status={check.status}>
      <ThemeIcon size={18} radius="xl" color={look.color} variant="light">
        {look.icon}
      </ThemeIcon>
      <Code>{check.scope}</Code>
      <Text size="sm" c={check.status === 'missing' ? 'red.8' : 'dimmed'}>
        {look.text}
      </Text>
    </Group>
  );
}
