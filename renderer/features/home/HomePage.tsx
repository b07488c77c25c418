import { Anchor, Card, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconWallet } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Credit } from '../../../common/settings.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { DraftList, RequestList } from '../../components/RequestList.tsx';
import { euro, relative } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';
import { AccountIssues } from './AccountIssues.tsx';
import { SpendingCheck } from './SpendingCheck.tsx';
import { RefusedPaths } from './RefusedPaths.tsx';

export function HomePage() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: keys.settings, queryFn: () => api.settings.get() });
  // Kept forever on purpose ("mai", chosen at the first start or in Impostazioni): said here until changed.
  const keptForever = !!settings.data?.retentionAsked && settings.data.retentionDays === 0;
  const home = useQuery({ queryKey: keys.home, queryFn: () => api.requests.home(), refetchInterval: 60_000 });
  // Asked again each time Home shows or the window comes back: main keeps the wallet's answer a minute.
  const credit = useQuery({
    queryKey: keys.credit,
    queryFn: () => api.app.credit(),
    refetchOnMount: 'always',
    refetchOnWindowFocus: 'always',
  });
  // Rows of the register whose paths this counter refused: apart from the lists, so Home never waits
  // for it; asked again each time Home shows (a refusal happens on the screens the clerk just left).
  const refused = useQuery({
    queryKey: keys.refusedPaths,
    queryFn: () => api.register.refusedPaths(),
    refetchOnMount: 'always',
    refetchInterval: 60_000,
  });

  // The heading first, the lists as they arrive: the clerk knows at once where they are.
  const heading = (
    <Group justify="space-between" align="flex-start">
      <Title order={2}>{t('home.title')}</Title>
      {credit.data && credit.data.credit !== null && <CreditCard credit={credit.data} />}
    </Group>
  );
  if (home.isPending)
    return (
      <Stack gap="lg" maw={1100}>
        {heading}
        <Loader aria-label={t('app.loading')} />
      </Stack>
    );
  if (home.isError)
    return (
      <Stack gap="lg" maw={1100}>
        {heading}
        <ErrorAlert error={home.error} />
      </Stack>
    );
  const { attention, inProgress, doneToday, drafts, accountIssues, moreOrphans } = home.data;
  const refusedPaths = refused.data ?? [];
  const toCheck =
    attention.length + accountIssues.length + moreOrphans + refusedPaths.length + (keptForever ? 1 : 0);

  return (
    <Stack gap="lg" maw={1100}>
      {heading}
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <Stat label={t('home.attention')} value={toCheck} color={toCheck ? 'orange' : 'gray'} />
        <Stat label={t('home.inProgress')} value={inProgress.length} color="blue" />
        <Stat label={t('home.doneToday')} value={doneToday.length} color="teal" />
      </SimpleGrid>
      <SpendingCheck />
      {toCheck > 0 && (
        <Section title={t('home.attention')} testId="home-attention">
          {keptForever && <KeptForever />}
          {accountIssues.length + moreOrphans > 0 && (
            <AccountIssues issues={accountIssues} moreOrphans={moreOrphans} />
          )}
          {refusedPaths.length > 0 && <RefusedPaths rows={refusedPaths} />}
          {attention.length > 0 && <RequestList rows={attention} empty="" />}
        </Section>
      )}
      <Section title={t('home.inProgress')} testId="home-in-progress">
        <RequestList rows={inProgress} empty={t('home.noneInProgress')} />
      </Section>
      <Section title={t('home.doneToday')} testId="home-done-today">
        <RequestList rows={doneToday} empty={t('home.noneDoneToday')} />
      </Section>
      {drafts.length > 0 && (
        <Section title={t('home.drafts')} testId="home-drafts">
          <DraftList rows={drafts} />
        </Section>
      )}
    </Stack>
  );
}

/** Documents and personal data are never purged: the office chose so, and is reminded of it. */
function KeptForever() {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="sm" data-testid="kept-forever">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <IconAlertTriangle size={20} color="var(--mantine-color-orange-7)" aria-hidden />
        <Stack gap={2}>
          <Text fw={600}>{t('home.keptForever.title')}</Text>
          <Text size="sm">{t('home.keptForever.text')}</Text>
          <Anchor href="#/impostazioni" size="sm">
            {t('home.keptForever.action')}
          </Anchor>
        </Stack>
      </Group>
    </Paper>
  );
}

function CreditCard({ credit }: { credit: Credit }) {
  const { t } = useTranslation();
  const when = credit.at === null ? '' : relative(credit.at);
  return (
    <Paper withBorder radius="md" px="md" py="xs" data-testid="home-credit">
      <Group gap="sm" wrap="nowrap">
        <IconWallet size={22} aria-hidden />
        <Stack gap={0}>
          <Text fw={600}>{t('home.credit', { amount: euro(credit.credit) })}</Text>
          <Text size="xs" c="dimmed">
            {credit.source === 'error'
              ? t('home.creditFromError', { when })
              : t('home.creditFromWallet', { when })}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}

function Stat({ label, value, color }: { label: string; value: number; color: string }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={32} fw={700} c={`${color}.7`}>
        {value}
      </Text>
    </Card>
  );
}

function Section({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <Stack gap="xs" data-testid={testId}>
      <Title order={4}>{title}</Title>
      {children}
    </Stack>
  );
}
