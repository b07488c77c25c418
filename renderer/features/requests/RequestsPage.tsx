import {
  Box,
  Button,
  Group,
  Loader,
  Chip,
  Paper,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowDown, IconArrowUp, IconDownload, IconSearch } from '@tabler/icons-react';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from '../../lib/router.tsx';
import { useTranslation } from 'react-i18next';
import { environments } from '../../../common/environment-list.ts';
import type { RequestFilter, RequestStatus, RequestSummary } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { StatusPill, statusLabel } from '../../components/StatusBadge.tsx';
import { describeError } from '../../lib/errors.ts';
import { groupCf, net, when } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';
import { costsCsv, download, requestsCsv } from './csv.ts';
import { PAGE, pageQuery } from './pages.ts';

const ROW_HEIGHT = 52;
/** The statuses the log holds (drafts are on Home). */
const listedStatuses: RequestStatus[] = ['sending', 'open', 'pending', 'done', 'cancelled'];
type SortBy = NonNullable<RequestFilter['sortBy']>;

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, RequestSummary>();

const startOfDay = (value: string) => (value ? new Date(`${value}T00:00:00`).getTime() : undefined);
const endOfDay = (value: string) => (value ? new Date(`${value}T23:59:59.999`).getTime() : undefined);

export function RequestsPage() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [search] = useDebouncedValue(text.trim(), 200);
  const [statuses, setStatuses] = useState<string[]>([]);
  const [environment, setEnvironment] = useState<string | null>(null);
  const [counter, setCounter] = useState<string | null>(null);
  const [operator, setOperator] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [sort, setSort] = useState<{ by: SortBy; dir: 'asc' | 'desc' }>({ by: 'createdAt', dir: 'desc' });
  const [exporting, setExporting] = useState(false);

  const filter: RequestFilter = useMemo(() => {
    const f: RequestFilter = { sortBy: sort.by, sortDir: sort.dir };
    if (search) f.text = search;
    if (statuses.length) f.statuses = statuses as RequestFilter['statuses'];
    if (environment) f.environment = environment as RequestFilter['environment'];
    if (counter !== null) f.counter = counter;
    if (operator !== null) f.operator = operator;
    const fromMs = startOfDay(from);
    const toMs = endOfDay(to);
    if (fromMs !== undefined) f.from = fromMs;
    if (toMs !== undefined) f.to = toMs;
    return f;
  }, [search, statuses, environment, counter, operator, from, to, sort]);
  // Under the list's key: a request sent elsewhere refreshes the choices with the rows.
  const choices = useQuery({
    queryKey: [...keys.requests, 'choices'],
    queryFn: () => api.requests.choices(),
  });
  /** A select's options: "Tutti", the log's values, and the chosen one even if no longer listed. */
  const optionsOf = (values: readonly string[] | undefined, chosen: string | null) => [
    { value: '', label: t('requests.any') },
    ...[...new Set([...(values ?? []), ...(chosen === null ? [] : [chosen])])].map((v) => ({
      value: v,
      label: v,
    })),
  ];

  const toggleSort = useCallback(
    (by: SortBy) =>
      setSort((s) =>
        s.by === by
          ? { by, dir: s.dir === 'asc' ? 'desc' : 'asc' }
          : { by, dir: by === 'createdAt' || by === 'chargedPrice' ? 'desc' : 'asc' },
      ),
    [],
  );

  /** Every row of the filter, fetched in pages: exports never depend on what was scrolled. */
  const allRows = async () => {
    const out: RequestSummary[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await api.requests.list({ ...filter, offset, limit: 1000 });
      out.push(...page.rows);
      if (out.length >= page.total || page.rows.length === 0) return out;
    }
  };
  const exportCsv = async (kind: 'rows' | 'costs') => {
    setExporting(true);
    try {
      const data = await allRows();
      const stamp = new Date().toISOString().slice(0, 10);
      if (kind === 'rows')
        download(
          `pratiche-${stamp}.csv`,
          requestsCsv(data, (r) => statusLabel(t, r)),
        );
      else download(`costi-${stamp}.csv`, costsCsv(data));
      await api.requests.recordExport(kind, data.length);
    } catch (error) {
      notifications.show({ color: 'red', message: describeError(error) });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Stack gap="md" h="calc(100vh - 140px)">
      <Group justify="space-between">
        <Title order={2}>{t('requests.title')}</Title>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            loading={exporting}
            onClick={() => void exportCsv('rows')}
          >
            {t('requests.exportCsv')}
          </Button>
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            loading={exporting}
            onClick={() => void exportCsv('costs')}
          >
            {t('requests.exportCosts')}
          </Button>
        </Group>
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          autoFocus
          w={280}
          leftSection={<IconSearch size={16} />}
          label={t('requests.search')}
          placeholder={t('requests.searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <NativeSelect
          w={140}
          label={t('requests.environment')}
          data={[
            { value: '', label: t('requests.any') },
            ...environments.map((e) => ({ value: e, label: t(`env.${e}`) })),
          ]}
          value={environment ?? ''}
          onChange={(e) => setEnvironment(e.currentTarget.value || null)}
        />
        <NativeSelect
          w={170}
          label={t('requests.counter')}
          data={optionsOf(choices.data?.counters, counter)}
          value={counter ?? ''}
          onChange={(e) => setCounter(e.currentTarget.value || null)}
        />
        <NativeSelect
          w={190}
          label={t('requests.operator')}
          data={optionsOf(choices.data?.operators, operator)}
          value={operator ?? ''}
          onChange={(e) => setOperator(e.currentTarget.value || null)}
        />
        <TextInput
          type="date"
          label={t('requests.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          w={150}
        />
        <TextInput
          type="date"
          label={t('requests.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          w={150}
        />
      </Group>
      {/* Statuses as toggles, all in view: one click each, no dropdown to open. */}
      <Group gap="xs" role="group" aria-labelledby="status-filter">
        <Text size="sm" fw={500} id="status-filter">
          {t('requests.status')}:
        </Text>
        <Chip.Group multiple value={statuses} onChange={setStatuses}>
          {listedStatuses.map((s) => (
            <Chip key={s} value={s} size="sm">
              {t(`status.${s}`)}
            </Chip>
          ))}
        </Chip.Group>
      </Group>
      <RequestTable filter={filter} sort={sort} onSort={toggleSort} />
    </Stack>
  );
}

/**
 * The list itself: the rows on screen of `filter`, fetched by page as they scroll into view. Its
 * own component, so that scrolling and the list's measuring re-render the rows, not the filters.
 */
const RequestTable = memo(function RequestTable({
  filter,
  sort,
  onSort,
}: {
  filter: RequestFilter;
  sort: { by: SortBy; dir: 'asc' | 'desc' };
  onSort: (by: SortBy) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const scroller = useRef<HTMLDivElement>(null);
  const [wantedPages, setWantedPages] = useState<number[]>([0]);
  // Another filter is another list: back to its top.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [filter]);
  const pages = useQueries({
    queries: wantedPages.map((n) => ({
      ...pageQuery(filter, n),
      // The first page keeps showing the previous filter's rows until the new ones arrive.
      ...(n === 0 ? { placeholderData: keepPreviousData } : {}),
    })),
  });
  const first = pages[0];
  const total = first?.data?.total ?? 0;
  const loaded = new Map(wantedPages.map((n, i) => [n, pages[i]?.data?.rows ?? null]));
  const rowAt = (index: number): RequestSummary | null =>
    loaded.get(Math.floor(index / PAGE))?.[index % PAGE] ?? null;

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor('createdAt', { header: t('requests.col.date'), cell: (c) => when(c.getValue()) }),
        helper.accessor('clientName', {
          header: t('requests.col.client'),
          // Plain elements in the cells: the list renders dozens of rows at once, and each Mantine
          // component costs a few props merges; the look comes from styles.css.
          cell: (c) => {
            const cf = c.row.original.clientCf;
            const name = c.getValue() || '—';
            return (
              <div className="cell-stack">
                {cf ? (
                  <a
                    className="cell-link cell-strong mantine-focus-auto"
                    href={`#/clienti/${cf}`}
                    onClick={(e) => e.stopPropagation()}
                  >
                    {name}
                  </a>
                ) : (
                  <span className="cell-strong">{name}</span>
                )}
                <span className="cell-cf">{cf ? groupCf(cf) : ''}</span>
              </div>
            );
          },
        }),
        helper.accessor('serviceName', {
          header: t('requests.col.service'),
          cell: (c) => (
            <a
              className="cell-link cell-plain mantine-focus-auto"
              href={`#/pratiche/${c.row.original.id}`}
              onClick={(e) => e.stopPropagation()}
            >
              {c.getValue()}
            </a>
          ),
        }),
        helper.accessor('counter', {
          header: t('requests.col.counter'),
          // Where it was created, and by whom: in an office several counters share the log.
          cell: (c) => (
            <div className="cell-stack">
              <span>{c.getValue() || '—'}</span>
              <span className="cell-cf">{c.row.original.operator}</span>
            </div>
          ),
        }),
        helper.accessor('status', {
          header: t('requests.col.status'),
          cell: (c) => <StatusPill request={c.row.original} label={statusLabel(t, c.row.original)} />,
        }),
        helper.accessor('chargedPrice', {
          header: t('requests.col.price'),
          cell: (c) => net(c.getValue() ?? c.row.original.confirmedPrice),
        }),
      ]),
    [t],
  );
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    // The window's size until the list's own is measured: the first render already draws the rows
    // on screen (a few more at most), instead of none and a second pass once measured.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();
  const startPage = Math.floor((items[0]?.index ?? 0) / PAGE);
  const endPage = Math.floor((items.at(-1)?.index ?? 0) / PAGE);
  useEffect(() => {
    const next = [0];
    for (let n = Math.max(1, startPage); n <= endPage; n++) next.push(n);
    setWantedPages((previous) => (previous.join() === next.join() ? previous : next));
  }, [startPage, endPage]);
  // The table renders the rows on screen that have arrived; the others show as loading.
  const shown = items.map((item) => rowAt(item.index)).filter((r): r is RequestSummary => r !== null);
  const table = useTable({ features, columns, data: shown });
  const tableRows = new Map(table.getRowModel().rows.map((row) => [row.original.id, row]));
  const widths = [
    '150px',
    'minmax(180px, 1.2fr)',
    'minmax(200px, 2fr)',
    'minmax(130px, 1fr)',
    '170px',
    '200px',
  ];
  const template = widths.join(' ');
  const sortable: SortBy[] = ['createdAt', 'clientName', 'serviceName', 'status', 'chargedPrice'];

  return (
    <>
      <ErrorAlert error={pages.find((p) => p.error)?.error} />
      <Text size="sm" c="dimmed" data-testid="requests-count">
        {t('requests.count', { count: total })}
      </Text>
      <Paper
        withBorder
        radius="md"
        style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}
        role="table"
        aria-rowcount={total}
      >
        <Box role="rowgroup" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          {table.getHeaderGroups().map((group) => (
            <Box
              key={group.id}
              role="row"
              style={{ display: 'grid', gridTemplateColumns: template }}
              px="sm"
              py={8}
            >
              {group.headers.map((header) => {
                const by = header.column.id as SortBy;
                const active = sort.by === by;
                return (
                  <UnstyledButton
                    key={header.id}
                    role="columnheader"
                    aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                    onClick={() => sortable.includes(by) && onSort(by)}
                  >
                    <Group gap={4}>
                      <Text size="sm" fw={600}>
                        <table.FlexRender header={header} />
                      </Text>
                      {active &&
                        (sort.dir === 'asc' ? <IconArrowUp size={14} /> : <IconArrowDown size={14} />)}
                    </Group>
                  </UnstyledButton>
                );
              })}
            </Box>
          ))}
        </Box>
        <div
          ref={scroller}
          style={{ flex: 1, overflow: 'auto', position: 'relative' }}
          data-testid="requests-scroller"
        >
          {first?.isPending && <Loader m="md" aria-label={t('app.loading')} />}
          {first?.data && total === 0 && (
            <Text c="dimmed" p="md">
              {t('requests.none')}
            </Text>
          )}
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const summary = rowAt(item.index);
              const row = summary ? tableRows.get(summary.id) : undefined;
              const place = {
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${item.start}px)`,
              } as const;
              if (!row)
                return (
                  <Box
                    key={`loading-${item.index}`}
                    role="row"
                    aria-rowindex={item.index + 1}
                    aria-busy
                    style={place}
                    px="sm"
                  >
                    <Text size="sm" c="dimmed" role="cell" lh={`${ROW_HEIGHT}px`}>
                      {t('app.loading')}
                    </Text>
                  </Box>
                );
              return (
                <div
                  key={row.original.id}
                  role="row"
                  aria-rowindex={item.index + 1}
                  data-request-id={row.original.id}
                  // A click anywhere on the row opens it; the keyboard reaches the links in the row.
                  onClick={() => void navigate(`/pratiche/${row.original.id}`)}
                  style={{ ...place, gridTemplateColumns: template }}
                  className="request-row"
                >
                  {row.getAllCells().map((cell) => (
                    <div key={cell.id} role="cell" className="cell">
                      <table.FlexRender cell={cell} />
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </Paper>
    </>
  );
});
