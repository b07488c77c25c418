import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Kbd,
  Loader,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronRight, IconSearch, IconStar, IconStarFilled, IconUser, IconX } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from '../../lib/router.tsx';
import { useTranslation } from 'react-i18next';
import type { ServiceSummary } from '../../../common/catalog.ts';
import type { ClientMatch } from '../../../common/clients.ts';
import { PATRONATO } from '../../../common/catalog-order.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { groupCf, relative } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';
import { useStoredList } from '../../lib/storage.ts';

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Every word typed must appear in the name or the category, accents ignored. */
function matches(service: ServiceSummary, words: string[]): boolean {
  const text = fold(`${service.nome} ${service.categoria}`);
  return words.every((w) => text.includes(w));
}

export function ServicePicker() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const favourites = useStoredList('sportello.favourites');
  const recent = useStoredList('sportello.recent', 6);
  const catalog = useQuery({ queryKey: keys.catalog, queryFn: () => api.catalog.list() });
  // A new request for a known client: the form starts from their last request.
  const [params, setParams] = useSearchParams();
  const clientCf = params.get('cf');
  const forClient = useQuery({
    queryKey: keys.client(clientCf),
    queryFn: () => api.clients.get(clientCf!),
    enabled: !!clientCf,
  });
  const [typed] = useDebouncedValue(query.trim(), 200);
  const clients = useQuery({
    queryKey: keys.clientSearch(typed),
    queryFn: () => api.clients.search(typed),
    enabled: typed.length >= 3 && !clientCf,
  });

  const start = useMutation({
    // The client chosen goes with the request even if their card above has not loaded yet.
    mutationFn: (hash: string) => api.drafts.create(hash, clientCf ? { clientCf } : undefined),
    onSuccess: (draft) => {
      recent.push(draft.serviceHash);
      void navigate(`/nuova/${draft.id}`);
    },
  });

  const shown = useMemo(() => {
    const all = catalog.data ?? [];
    const words = fold(query).split(/\s+/).filter(Boolean);
    if (words.length) return all.filter((s) => matches(s, words));
    const byHash = new Map(all.map((s) => [s.hash, s]));
    const pinned = [...favourites.items, ...recent.items.filter((h) => !favourites.items.includes(h))]
      .map((h) => byHash.get(h))
      .filter((s): s is ServiceSummary => !!s);
    const pinnedSet = new Set(pinned.map((s) => s.hash));
    return [...pinned, ...all.filter((s) => !pinnedSet.has(s.hash))];
  }, [catalog.data, query, favourites.items, recent.items]);

  // Clients found by name or codice fiscale come first, then the services: one list, one cursor,
  // so that the arrows and Enter reach a client as they reach a service.
  const clientMatches = clientCf ? [] : (clients.data ?? []);
  const entries: Entry[] = [
    ...clientMatches.map((client) => ({ kind: 'client' as const, id: `client-${client.cf}`, client })),
    ...shown.map((service) => ({ kind: 'service' as const, id: `service-${service.hash}`, service })),
  ];
  const current = entries[Math.min(cursor, entries.length - 1)];
  const searchBox = useRef<HTMLInputElement>(null);

  const move = (delta: number) => {
    const next = Math.max(0, Math.min(entries.length - 1, cursor + delta));
    setCursor(next);
    listRef.current?.querySelector(`[data-index="${next}"]`)?.scrollIntoView({ block: 'nearest' });
  };

  /** A client chosen: the services are offered for them, and the clerk goes on typing one. */
  const chooseClient = (client: ClientMatch) => {
    setQuery('');
    setCursor(0);
    setParams({ cf: client.cf });
    searchBox.current?.focus();
  };

  const pick = (entry: Entry | undefined) => {
    if (!entry) return;
    if (entry.kind === 'client') return chooseClient(entry.client);
    if (!start.isPending) start.mutate(entry.service.hash);
  };

  const known = forClient.data;
  const knownName = known ? [known.cognome, known.nome].filter(Boolean).join(' ') || known.cf : '';
  // "Nessun servizio" only when nothing at all answers what was typed (a client found is an answer).
  const clientsPending =
    !clientCf && query.trim().length >= 3 && (typed !== query.trim() || clients.isFetching);
  const nothingFound = !!catalog.data && entries.length === 0 && !clientsPending;

  return (
    <Stack maw={900} gap="md">
      <Title order={2}>{t('picker.title')}</Title>
      {clientCf && known && (
        <Alert
          variant="light"
          color="blue"
          icon={<IconUser size={18} aria-hidden />}
          title={t('picker.forClient', { name: knownName })}
          data-testid="picker-client"
        >
          <Stack gap={6}>
            <Text size="sm">{t('picker.forClientHint')}</Text>
            <Group gap="sm">
              <Anchor href={`#/clienti/${known.cf}`} size="sm">
                {t('picker.openClient')}
              </Anchor>
              <Button
                size="xs"
                variant="subtle"
                leftSection={<IconX size={14} aria-hidden />}
                onClick={() => setParams({})}
              >
                {t('picker.clearClient')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <TextInput
        ref={searchBox}
        data-autofocus
        autoFocus
        size="md"
        leftSection={<IconSearch size={18} />}
        placeholder={t(clientCf ? 'picker.placeholderService' : 'picker.placeholder')}
        aria-label={t(clientCf ? 'picker.placeholderService' : 'picker.placeholder')}
        aria-controls="service-list"
        aria-activedescendant={current?.id}
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setCursor(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            move(1);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            move(-1);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            pick(current);
          } else if (e.key === 'd' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            if (current?.kind === 'service') favourites.toggle(current.service.hash);
          }
        }}
        rightSection={start.isPending ? <Loader size="xs" /> : undefined}
      />
      <Text size="xs" c="dimmed">
        <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> {t('picker.keysMove')} · <Kbd size="xs">Invio</Kbd>{' '}
        {t('picker.keysPick')} · <Kbd size="xs">Ctrl+D</Kbd> {t('picker.keysFavourite')}
      </Text>
      <ErrorAlert error={catalog.error ?? start.error ?? forClient.error} />
      {catalog.isPending && <Loader />}
      {nothingFound && <Text c="dimmed">{t('picker.none')}</Text>}
      <Stack gap={4} ref={listRef} id="service-list" role="listbox" aria-label={t('picker.title')}>
        {clientMatches.length > 0 && (
          <Stack gap={4} role="group" aria-label={t('picker.clients')} data-testid="picker-clients">
            <Text size="sm" fw={600} aria-hidden>
              {t('picker.clients')}
            </Text>
            {clientMatches.map((m, index) => (
              <Paper
                key={m.cf}
                id={`client-${m.cf}`}
                data-index={index}
                role="option"
                aria-selected={index === cursor}
                aria-label={`${t('picker.forClient', { name: m.name || groupCf(m.cf) })} – ${groupCf(m.cf)}`}
                withBorder
                radius="md"
                p="xs"
                bg={index === cursor ? 'teal.0' : undefined}
                style={{
                  cursor: 'pointer',
                  borderColor: index === cursor ? 'var(--mantine-color-teal-7)' : undefined,
                  borderLeftWidth: index === cursor ? 5 : undefined,
                }}
                onMouseEnter={() => setCursor(index)}
                // The search box keeps the focus: the clerk goes on typing the service.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => chooseClient(m)}
              >
                <Group justify="space-between" wrap="nowrap">
                  <Group gap="sm" wrap="nowrap">
                    <IconUser size={18} aria-hidden />
                    <Stack gap={0}>
                      <Text fw={600} size="sm">
                        {m.name || '—'}
                      </Text>
                      <Text size="xs" ff="monospace">
                        {groupCf(m.cf)}
                      </Text>
                    </Stack>
                  </Group>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      {t('picker.clientRequests', { count: m.requests, when: relative(m.lastAt) })}
                    </Text>
                    {index === cursor ? (
                      <Kbd size="xs" aria-hidden>
                        Invio
                      </Kbd>
                    ) : (
                      <IconChevronRight size={16} aria-hidden />
                    )}
                  </Group>
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
        {clientMatches.length > 0 && shown.length > 0 && (
          <Text size="sm" fw={600} mt="xs" aria-hidden>
            {t('picker.services')}
          </Text>
        )}
        {shown.map((s, position) => {
          const index = clientMatches.length + position;
          const favourite = favourites.items.includes(s.hash);
          return (
            <Paper
              key={s.hash}
              id={`service-${s.hash}`}
              data-index={index}
              role="option"
              aria-selected={index === cursor}
              withBorder
              radius="md"
              p="sm"
              bg={index === cursor ? 'teal.0' : undefined}
              style={{
                cursor: 'pointer',
                // The row under the cursor is told by a thick border and the "Invio" key, not by tint alone.
                borderColor: index === cursor ? 'var(--mantine-color-teal-7)' : undefined,
                borderLeftWidth: index === cursor ? 5 : undefined,
              }}
              onMouseEnter={() => setCursor(index)}
              onClick={() => pick(entries[index])}
            >
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={0}>
                  <Text fw={600}>{s.nome}</Text>
                  <Group gap={6}>
                    <Badge size="xs" variant="light" color={s.categoria === PATRONATO ? 'teal' : 'gray'}>
                      {s.categoria}
                    </Badge>
                    {recent.items.includes(s.hash) && !query && (
                      <Text size="xs" c="dimmed">
                        {t('picker.recent')}
                      </Text>
                    )}
                  </Group>
                </Stack>
                <Group gap="xs" wrap="nowrap">
                  {index === cursor && (
                    <Kbd size="xs" aria-hidden>
                      Invio
                    </Kbd>
                  )}
                  {/* Inside an option nothing may be a control of its own: the star toggles on click, and
                        Ctrl+D from the search box does the same for keyboards. */}
                  <Box
                    c="yellow.8"
                    p={4}
                    title={favourite ? t('picker.unfavourite') : t('picker.favourite')}
                    onClick={(e) => {
                      e.stopPropagation();
                      favourites.toggle(s.hash);
                    }}
                    data-testid="favourite"
                  >
                    {favourite ? (
                      <IconStarFilled size={18} aria-hidden />
                    ) : (
                      <IconStar size={18} aria-hidden />
                    )}
                  </Box>
                  {favourite && <VisuallyHidden>{t('picker.isFavourite')}</VisuallyHidden>}
                </Group>
              </Group>
            </Paper>
          );
        })}
      </Stack>
    </Stack>
  );
}

/** A row of the new-request list: a client found by name or code, or a service. */
type Entry =
  | { kind: 'client'; id: string; client: ClientMatch }
  | { kind: 'service'; id: string; service: ServiceSummary };
