import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SUGGESTED_RETENTION_DAYS, type Preferences } from '../../../common/settings.ts';
import { api } from '../../api.ts';
import { describeError } from '../../lib/errors.ts';
import { keys } from '../../lib/queries.ts';
import { PrefixInput } from '../settings/PrefixInput.tsx';

type Retention = 'suggested' | 'ten' | 'other' | 'never';

const TEN_YEARS = 10 * 365;

/**
 * The first start (and any start while the office's data or the retention period were never
 * given): the office's name and address, the prefix of its pratica numbers, and how long the
 * documents and personal data of finished requests are kept — 5 years suggested, and why; "mai"
 * allowed, then flagged in Impostazioni and on Home. A form for the keyboard: Tab through it, Enter
 * to save. "Più tardi" puts it off until Sportello starts again, nothing more.
 */
export function FirstStart({ preferences, onLater }: { preferences: Preferences; onLater: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [officeName, setOfficeName] = useState(preferences.officeName);
  const [officeAddress, setOfficeAddress] = useState(preferences.officeAddress);
  const [prefix, setPrefix] = useState(preferences.numberPrefix);
  const [retention, setRetention] = useState<Retention>(() =>
    !preferences.retentionAsked || preferences.retentionDays === SUGGESTED_RETENTION_DAYS
      ? 'suggested'
      : preferences.retentionDays === 0
        ? 'never'
        : preferences.retentionDays === TEN_YEARS
          ? 'ten'
          : 'other',
  );
  const [otherDays, setOtherDays] = useState<number>(
    preferences.retentionDays > 0 ? preferences.retentionDays : SUGGESTED_RETENTION_DAYS,
  );
  const [tried, setTried] = useState(false);

  const days = { suggested: SUGGESTED_RETENTION_DAYS, ten: TEN_YEARS, other: otherDays, never: 0 }[retention];
  const missing = {
    officeName: !officeName.trim(),
    prefix: !prefix,
  };
  // Main asks the clerk to confirm the period in its own dialog; a refusal there is said here.
  const save = useMutation({
    mutationFn: () =>
      api.settings.update({
        officeName: officeName.trim(),
        officeAddress: officeAddress.trim(),
        numberPrefix: prefix,
        retentionDays: days,
        retentionAsked: true,
      }),
    onSuccess: (next) => client.setQueryData(keys.settings, next),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (missing.officeName || missing.prefix) return;
    save.mutate();
  };

  return (
    <Paper withBorder radius="md" p="lg" maw={760} data-testid="first-start">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={2}>{t('firstStart.title')}</Title>
            <Text c="dimmed">{t('firstStart.intro')}</Text>
          </Stack>

          <Stack gap="sm" component="fieldset" className="plain-fieldset">
            <Title order={3} size="h4" component="legend">
              {t('firstStart.office')}
            </Title>
            <TextInput
              label={t('settings.officeName')}
              description={t('firstStart.officeNameHelp')}
              required
              autoFocus
              maxLength={200}
              value={officeName}
              onChange={(e) => setOfficeName(e.currentTarget.value)}
              error={tried && missing.officeName ? t('firstStart.required') : undefined}
            />
            <TextInput
              label={t('settings.officeAddress')}
              description={t('firstStart.officeAddressHelp')}
              maxLength={300}
              value={officeAddress}
              onChange={(e) => setOfficeAddress(e.currentTarget.value)}
            />
            <PrefixInput
              value={prefix}
              onChange={setPrefix}
              required
              error={tried && missing.prefix ? t('firstStart.prefixRequired') : undefined}
            />
          </Stack>

          <Stack gap="sm" component="fieldset" className="plain-fieldset">
            <Title order={3} size="h4" component="legend">
              {t('firstStart.retention')}
            </Title>
            <Text size="sm">{t('firstStart.retentionWhy')}</Text>
            <Radio.Group
              value={retention}
              onChange={(v) => setRetention(v)}
              label={t('firstStart.retentionLabel')}
            >
              <Stack gap="xs" mt="xs">
                <Radio value="suggested" label={t('firstStart.suggested')} />
                <Radio value="ten" label={t('firstStart.ten')} />
                <Radio value="other" label={t('firstStart.other')} />
                {retention === 'other' && (
                  <NumberInput
                    label={t('firstStart.otherDays')}
                    min={1}
                    max={36500}
                    value={otherDays}
                    onChange={(v) => typeof v === 'number' && setOtherDays(v)}
                    maw={220}
                    ml="xl"
                  />
                )}
                <Radio value="never" label={t('firstStart.never')} />
              </Stack>
            </Radio.Group>
            {retention === 'never' && (
              <Alert color="orange" data-testid="first-start-never">
                {t('firstStart.neverWarning')}
              </Alert>
            )}
          </Stack>

          {save.isError && (
            <Alert color="red" role="alert">
              {describeError(save.error)}
            </Alert>
          )}
          <Text size="sm" c="dimmed">
            {t('firstStart.confirmNote')}
          </Text>
          <Group justify="space-between">
            <Button type="button" variant="default" onClick={onLater}>
              {t('firstStart.later')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('firstStart.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
