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
import { useDebouncedValue, useElementSize } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconDownload, IconSearch } from '@tabler/icons-react';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from '../../lib/router.tsx';
import { useTranslation } from 'react-i18next';
import { environments } from '../../../common/environment-list.ts';
import { clerkStates, type ClerkState } from '../../../common/request-states.ts';
import type { RequestFilter, RequestSummary } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { TestMark } from '../../components/EnvBadge.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { StatusPill, stateLabel } from '../../components/StatusBadge.tsx';
import { describeError } from '../../lib/errors.ts';
import { groupCf, net, when } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';
import { counterOf, operatorOf } from '../../lib/who.ts';
import { costsCsv, download, requestsCsv } from './csv.ts';
import { openingFilter, PAGE, pageQuery } from './pages.ts';

/** A row's height: one line of cells, or (a narrow window, a large zoom) the cells stacked. */
const ROW_HEIGHT = 52;
const STACKED_ROW_HEIGHT = 84;
/** Below this width of the list the rows stack their cells: the wide row needs about this much. */
const STACK_BELOW = 960;
type SortBy = NonNullable<RequestFilter['sortBy']>;

/** Where a row leads: a draft to its form, a request to its page. */
const hrefOf = (r: RequestSummary) => (r.status === 'draft' ? `/nuova/${r.id}` : `/pratiche/${r.id}`);

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, RequestSummary>();

const startOfDay = (value: string) => (value ? new Date(`${value}T00:00:00`).getTime() : undefined);
const endOfDay = (value: string) => (value ? new Date(`${value}T23:59:59.999`).getTime() : undefined);

export function RequestsPage() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [search] = useDebouncedValue(text.trim(), 200);
  const [states, setStates] = useState<string[]>([]);
  // The counter's own environment first: Prova's requests are not mixed with real ones unasked.
  const [environment, setEnvironment] = useState<RequestFilter['environment']>(openingFilter.environment);
  const info = useQuery({ queryKey: keys.info, queryFn: () => api.app.info() });
  const [counter, setCounter] = useState<string | null>(null);
  const [operator, setOperator] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [sort, setSort] = useState<{ by: SortBy; dir: 'asc' | 'desc' }>({ by: 'createdAt', dir: 'desc' });
  const [exporting, setExporting] = useState(false);

  const filter: RequestFilter = useMemo(() => {
    const f: RequestFilter = { sortBy: sort.by, sortDir: sort.dir };
    if (search) f.text = search;
    if (states.length) f.states = states as ClerkState[];
    if (environment) f.environment = environment;
    if (counter !== null) f.counter = counter;
    if (operator !== null) f.operator = operator;
    const fromMs = startOfDay(from);
    const toMs = endOfDay(to);
    if (fromMs !== undefined) f.from = fromMs;
    if (toMs !== undefined) f.to = toMs;
    return f;
  }, [search, states, environment, counter, operator, from, to, sort]);
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
          requestsCsv(data, (r) => stateLabel(t, r.state)),
        );
      else download(`costi-${stamp}.csv`, costsCsv(data));
      await api.requests.recordExport(kind, data.length);
    } catch (error) {
      // Loaded when needed: the list's first rows do not wait for the notifications' code.
      const { notifications } = await import('@mantine/notifications');
      notifications.show({ color: 'red', message: describeError(error) });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Stack gap="md" className="requests-page">
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
          // "current" shows as the environment it is; another one chosen is that one.
          value={(environment === 'current' ? info.data?.environment : environment) ?? ''}
          onChange={(e) =>
            setEnvironment((e.currentTarget.value || undefined) as RequestFilter['environment'])
          }
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
      {/* States as toggles, all in view, in the words of the rows: one click each, no dropdown. */}
      <Group gap="xs" role="group" aria-labelledby="status-filter">
        <Text size="sm" fw={500} id="status-filter">
          {t('requests.status')}:
        </Text>
        <Chip.Group multiple value={states} onChange={setStates}>
          {clerkStates.map((s) => (
            <Chip key={s} value={s} size="sm" title={t(`stateHint.${s}`)}>
              {stateLabel(t, s)}
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
 * On a narrow window the cells of a row stack (client and state, then service, number and date,
 * then counter and price): the table never needs more width than the window has.
 */
const RequestTable = memo(function RequestTable(props: {
  filter: RequestFilter;
  sort: { by: SortBy; dir: 'asc' | 'desc' };
  onSort: (by: SortBy) => void;
}) {
  const { ref, width } = useElementSize();
  // Until measured, the window's width less the menu's is the guess.
  const stacked = (width || window.innerWidth - 300) < STACK_BELOW;
  // Another layout is another virtual list (its rows' height): drawn afresh.
  return (
    <div ref={ref} className="requests-list">
      <Rows key={stacked ? 'stacked' : 'wide'} stacked={stacked} {...props} />
    </div>
  );
});

function Rows({
  filter,
  sort,
  onSort,
  stacked,
}: {
  filter: RequestFilter;
  sort: { by: SortBy; dir: 'asc' | 'desc' };
  onSort: (by: SortBy) => void;
  stacked: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const scroller = useRef<HTMLDivElement>(null);
  const [wantedPages, setWantedPages] = useState<number[]>([0]);
  const rowHeight = stacked ? STACKED_ROW_HEIGHT : ROW_HEIGHT;
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

  const columns = useMemo(() => {
    // Plain elements in the cells: the list renders dozens of rows at once, and each Mantine
    // component costs a few props merges; the look comes from styles.css.
    const client = helper.accessor('clientName', {
      header: t('requests.col.client'),
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
    });
    const service = helper.accessor('serviceName', {
      header: t('requests.col.service'),
      cell: (c) => {
        const r = c.row.original;
        return (
          <div className="cell-stack">
            <span className="cell-line">
              <a
                className="cell-link cell-plain mantine-focus-auto"
                href={`#${hrefOf(r)}`}
                onClick={(e) => e.stopPropagation()}
              >
                {c.getValue()}
              </a>
            </span>
            {stacked && (
              <span className="cell-cf">{[r.number, when(r.createdAt)].filter(Boolean).join(' · ')}</span>
            )}
          </div>
        );
      },
    });
    const state = helper.accessor('status', {
      header: t('requests.col.status'),
      cell: (c) => (
        <span className="cell-line">
          <TestMark environment={c.row.original.environment} size="xs" />
          <StatusPill state={c.row.original.state} label={stateLabel(t, c.row.original.state)} />
        </span>
      ),
    });
    const counter = helper.accessor('counter', {
      header: t('requests.col.counter'),
      // Where it was created, and by whom: in an office several counters share the log.
      cell: (c) => (
        <div className="cell-stack">
          <span>{counterOf(c.getValue())}</span>
          <span className="cell-cf">{operatorOf(c.row.original.operator)}</span>
        </div>
      ),
    });
    const price = helper.accessor('chargedPrice', {
      header: t('requests.col.price'),
      cell: (c) => net(c.getValue() ?? c.row.original.confirmedPrice),
    });
    if (stacked) return helper.columns([client, state, service, price]);
    return helper.columns([
      // The date and, under it, the pratica's number: the one the client reads on the phone.
      helper.accessor('createdAt', {
        header: t('requests.col.date'),
        cell: (c) => (
          <div className="cell-stack">
            <span>{when(c.getValue())}</span>
            <span className="cell-cf">{c.row.original.number ?? ''}</span>
          </div>
        ),
      }),
      client,
      service,
      counter,
      state,
      price,
    ]);
  }, [t, stacked]);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 4,
    // Until the list's own size is measured (before the first paint), half the window's height: the
    // list has the page under the title and the filters, about that much on a usual window. The
    // first render already draws about the rows on screen, instead of none, or of twice as many
    // created to be dropped at once; the measure adds any missing before the paint.
    initialRect: { width: window.innerWidth, height: window.innerHeight / 2 },
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
  const template = stacked
    ? 'minmax(0, 1fr) auto'
    : // Fixed or fractions of the same width only: every row is a grid of its own, and an `auto`
      // column would follow each row's content instead of the header's.
      ['150px', 'minmax(140px, 1.2fr)', 'minmax(150px, 2fr)', 'minmax(100px, 1fr)', '160px', '180px'].join(
        ' ',
      );
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
        className="requests-table"
        role="table"
        aria-rowcount={total}
        data-layout={stacked ? 'stacked' : 'wide'}
      >
        <Box role="rowgroup" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          {table.getHeaderGroups().map((group) => (
            <Box
              key={group.id}
              role="row"
              style={{ display: 'grid', gridTemplateColumns: template, columnGap: 8 }}
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
                    <Group gap={4} wrap="nowrap">
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
        <div ref={scroller} className="requests-scroller" data-testid="requests-scroller">
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
                height: rowHeight,
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
                    <Text size="sm" c="dimmed" role="cell" lh={`${rowHeight}px`}>
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
                  data-state={row.original.state}
                  // A click anywhere on the row opens it; the keyboard reaches the links in the row.
                  onClick={() => void navigate(hrefOf(row.original))}
                  style={{ ...place, gridTemplateColumns: template }}
                  className={stacked ? 'request-row request-row-stacked' : 'request-row'}
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
}
