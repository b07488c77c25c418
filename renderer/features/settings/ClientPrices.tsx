import { ActionIcon, Group, NumberInput, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { keys } from '../../lib/queries.ts';

/**
 * What the office asks the client, kept apart from what Openapi charges the office: a default
 * (0: free, as many Patronato services are) and a price per service where it differs. The receipt
 * prints it as "Importo a carico del cliente"; Openapi's cost only if the office turns it on.
 */
export function ClientPrices({
  defaultPrice,
  prices,
  showsCost,
  onDefault,
  onPrices,
  onShowsCost,
}: {
  defaultPrice: number;
  prices: Record<string, number>;
  showsCost: boolean;
  onDefault: (value: number) => void;
  onPrices: (value: Record<string, number>) => void;
  onShowsCost: (value: boolean) => void;
}) {
  const { t } = useTranslation();
  const catalog = useQuery({ queryKey: keys.catalog, queryFn: () => api.catalog.list() });
  const [adding, setAdding] = useState<string | null>(null);
  const nameOf = (hash: string) => catalog.data?.find((s) => s.hash === hash)?.nome ?? hash;
  const priced = Object.keys(prices).sort((a, b) => nameOf(a).localeCompare(nameOf(b), 'it'));
  const euro = { decimalScale: 2, fixedDecimalScale: true, decimalSeparator: ',', suffix: ' €', min: 0 };

  return (
    <Stack gap="xs" data-testid="client-prices">
      <Title order={5}>{t('settings.clientPrices.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('settings.clientPrices.help')}
      </Text>
      <NumberInput
        label={t('settings.clientPrices.default')}
        description={t('settings.clientPrices.defaultHelp')}
        max={100_000}
        {...euro}
        value={defaultPrice}
        onChange={(v) => typeof v === 'number' && onDefault(v)}
        maw={320}
      />
      {priced.map((hash) => (
        <Group key={hash} gap="xs" align="flex-end" wrap="nowrap">
          <NumberInput
            label={nameOf(hash)}
            max={100_000}
            {...euro}
            value={prices[hash]}
            onChange={(v) => typeof v === 'number' && onPrices({ ...prices, [hash]: v })}
            style={{ flex: 1 }}
            maw={480}
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={t('settings.clientPrices.remove', { service: nameOf(hash) })}
            onClick={() => {
              const { [hash]: _removed, ...rest } = prices;
              onPrices(rest);
            }}
          >
            <IconTrash size={18} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      <Select
        label={t('settings.clientPrices.add')}
        placeholder={t('settings.clientPrices.addPlaceholder')}
        searchable
        clearable
        maw={480}
        data={(catalog.data ?? [])
          .filter((s) => !(s.hash in prices))
          .map((s) => ({ value: s.hash, label: s.nome }))}
        value={adding}
        onChange={(hash) => {
          setAdding(null);
          if (hash) onPrices({ ...prices, [hash]: 0 });
        }}
        nothingFoundMessage={t('picker.none')}
      />
      <Switch
        label={t('settings.clientPrices.showCost')}
        description={t('settings.clientPrices.showCostHelp')}
        checked={showsCost}
        onChange={(e) => onShowsCost(e.currentTarget.checked)}
      />
    </Stack>
  );
}
