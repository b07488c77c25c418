import { Alert, Anchor, Button, Checkbox, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock, IconUserCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceDetail } from '../../../common/catalog.ts';
import { clientFileKindOf } from '../../../common/client-files.ts';
import { valuesForClient } from '../../../common/form.ts';
import { api } from '../../api.ts';
import { keys } from '../../lib/queries.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { day } from '../../lib/format.ts';
import { operatorOf } from '../../lib/who.ts';
import { RevokeConsent } from '../clients/RevokeConsent.tsx';

/**
 * What the counter knows of this client, once the codice fiscale is valid: a returning client's
 * data from the last request (one click, marked), their documents on file (one click), and the
 * consent to keep the identity document and the codice fiscale card for next time.
 */
export function ClientPanel({
  draftId,
  service,
  cf,
  values,
  prefilled,
  onFill,
  onFilesAdded,
  beforeSave,
  documentExpiry,
}: {
  draftId: string;
  service: ServiceDetail;
  /** The form's codice fiscale when valid; null otherwise. */
  cf: string | null;
  values: Record<string, string>;
  /** The draft was started from this client's last request already. */
  prefilled: boolean;
  onFill: (copied: Record<string, string>) => void;
  onFilesAdded: () => void;
  /** Saves what was typed: main reads the client from the saved draft. */
  beforeSave: () => Promise<void>;
  /** The identity document's expiry as its MRZ gives it (yyyy-mm-dd): what the consent keeps to. */
  documentExpiry: string | null;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [agree, setAgree] = useState(false);
  // What the clerk typed; until then, the expiry the document's MRZ gives (read at any time).
  const [typedExpiry, setExpiry] = useState<string | null>(null);
  const expiry = typedExpiry ?? documentExpiry ?? '';
  const known = useQuery({
    queryKey: keys.client(cf),
    queryFn: () => api.clients.get(cf!),
    enabled: !!cf,
  });
  const useFiles = useMutation({
    mutationFn: async () => {
      await beforeSave();
      return api.clients.useFiles(draftId);
    },
    onSuccess: (added) => {
      notifications.show({ message: t('draft.filesUsed', { count: added.length }) });
      onFilesAdded();
    },
  });
  const consent = useMutation({
    mutationFn: async () => {
      await beforeSave();
      return api.clients.consent(cf!, expiry || null, draftId);
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.client(cf) }),
  });

  if (!cf || !known.data) return known.error ? <ErrorAlert error={known.error} /> : null;
  const c = known.data;
  const name = [c.cognome, c.nome].filter(Boolean).join(' ');
  const keepable = service.fields.filter((f) => f.tipo === 'file' && clientFileKindOf(f.nome) !== null);
  const copy = Object.fromEntries(
    Object.entries(
      valuesForClient(service.fields, {
        nome: c.nome,
        cognome: c.cognome,
        codiceFiscale: c.cf,
        email: c.email,
        phone: c.phone,
      }),
    ).filter(([key, value]) => !(values[key] ?? '').trim() && value),
  );
  const kindLabel = (kind: string) => t(`clients.fileKind.${kind}`);
  if (!c.requests.length && !keepable.length) return null;

  return (
    <Paper withBorder radius="md" p="md" data-testid="client-panel">
      <Stack gap="sm">
        {c.requests.length > 0 && (
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <IconUserCheck size={20} aria-hidden color="var(--mantine-color-teal-8)" />
              <Text size="sm">{t('draft.knownClient', { name, count: c.requests.length })}</Text>
              <Anchor href={`#/clienti/${c.cf}`} size="sm">
                {t('draft.openClient')}
              </Anchor>
            </Group>
            {!prefilled && Object.keys(copy).length > 0 && (
              <Button size="xs" variant="light" onClick={() => onFill(copy)}>
                {t('draft.useKnownClient')}
              </Button>
            )}
          </Group>
        )}
        {c.files.length > 0 && (
          <Group justify="space-between" wrap="nowrap" data-testid="files-on-file">
            <Text size="sm">
              {t('draft.filesOnFile', {
                name: name || c.cf,
                list: c.files
                  .map((f) =>
                    t('draft.filesOnFileUntil', { kind: kindLabel(f.kind), date: day(f.expiresAt) }),
                  )
                  .join(', '),
              })}
            </Text>
            {c.filesReadable && (
              <Button size="xs" loading={useFiles.isPending} onClick={() => useFiles.mutate()}>
                {t('draft.useFiles')}
              </Button>
            )}
          </Group>
        )}
        {c.files.length > 0 && !c.filesReadable && (
          <Alert color="orange" variant="light" data-testid="files-not-granted">
            {t('errors.documents_not_granted')}
          </Alert>
        )}
        <ErrorAlert error={useFiles.error} />
        {keepable.length > 0 && (
          <Stack gap={6} data-testid="consent">
            <Title order={4} size="h5">
              <Group gap={6} component="span">
                <IconLock size={16} aria-hidden />
                {t('draft.consentTitle')}
              </Group>
            </Title>
            {!c.canKeepFiles ? (
              <Text size="sm" c="dimmed">
                {t('draft.consentUnavailable')}
              </Text>
            ) : c.consent ? (
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm">
                  {t('draft.consentGiven', {
                    date: day(c.consent.grantedAt),
                    operator: operatorOf(c.consent.operator),
                    until: day(c.keepUntil),
                  })}
                </Text>
                <RevokeConsent cf={c.cf} requestId={draftId} label={t('draft.consentRevoke')} />
              </Group>
            ) : (
              <>
                <Checkbox
                  label={t('draft.consentLabel')}
                  description={t('draft.consentHelp')}
                  checked={agree}
                  onChange={(e) => setAgree(e.currentTarget.checked)}
                />
                {agree && (
                  <Group align="flex-end" gap="sm">
                    <TextInput
                      type="date"
                      label={t('draft.consentExpiry')}
                      description={
                        documentExpiry && expiry === documentExpiry
                          ? t('draft.consentExpiryFromDocument')
                          : t('draft.consentExpiryHelp')
                      }
                      value={expiry}
                      onChange={(e) => setExpiry(e.currentTarget.value)}
                      w={260}
                    />
                    <Button loading={consent.isPending} onClick={() => consent.mutate()}>
                      {t('draft.consentSave')}
                    </Button>
                  </Group>
                )}
                <ErrorAlert error={consent.error} />
              </>
            )}
          </Stack>
        )}
        {c.requests.length === 0 && c.files.length === 0 && !keepable.length && (
          <Alert variant="light">{t('clients.unknown')}</Alert>
        )}
      </Stack>
    </Paper>
  );
}
