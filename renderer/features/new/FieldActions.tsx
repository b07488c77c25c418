import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileCertificate, IconPrinter, IconScan } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../../common/catalog.ts';
import { paperOf } from '../../../common/papers.ts';
import type { AttachmentInfo } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { describeError } from '../../lib/errors.ts';
import { prettifyName } from '../../lib/format.ts';
import { download } from '../requests/csv.ts';

// The scanner dialog (device survey, progress) loads the first time it is opened.
const ScanDialog = lazy(async () => ({ default: (await import('./ScanDialog.tsx')).ScanDialog }));

/** Scanner for every file field; the prefilled mandato to print where the field is the mandato. */
export function FieldActions({
  draftId,
  field,
  onScanned,
  beforeGenerate,
}: {
  draftId: string;
  field: Field;
  /** Pages scanned into the field: the draft is read again, cards are read for the form. */
  onScanned: (parts: AttachmentInfo[]) => void;
  /** Saves what the clerk just typed: the mandato is built from the saved draft. */
  beforeGenerate: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [scanning, setScanning] = useState(false);
  const [mandatoOpen, setMandatoOpen] = useState(false);
  const label = prettifyName(field.nome);
  const mandato = useMutation({
    mutationFn: async () => {
      await beforeGenerate();
      return api.mandato.generate(draftId);
    },
    onSuccess: () => setMandatoOpen(true),
    onError: (error) =>
      notifications.show({ color: 'red', message: describeError(error), autoClose: 10_000 }),
  });

  return (
    <Group gap="xs">
      {paperOf(field) === 'mandato' && (
        <Button
          size="xs"
          variant="default"
          leftSection={<IconFileCertificate size={16} />}
          loading={mandato.isPending}
          onClick={() => mandato.mutate()}
        >
          {t('mandato.button')}
        </Button>
      )}
      <Button
        size="xs"
        variant="default"
        leftSection={<IconScan size={16} />}
        onClick={() => setScanning(true)}
        aria-label={`${t('scan.open')}: ${label}`}
      >
        {t('scan.open')}
      </Button>
      {scanning && (
        <Suspense fallback={null}>
          <ScanDialog
            opened={scanning}
            draftId={draftId}
            fieldKey={field.key}
            title={t('scan.title', { name: label })}
            onClose={() => setScanning(false)}
            onScanned={onScanned}
          />
        </Suspense>
      )}
      <Modal
        opened={mandatoOpen && !!mandato.data}
        onClose={() => setMandatoOpen(false)}
        title={t('mandato.title')}
      >
        {mandato.data && (
          <Stack>
            <Text size="sm">{t('mandato.text')}</Text>
            <Text size="sm" fw={500}>
              {mandato.data.name}
            </Text>
            <Group justify="flex-end">
              <Button
                variant="default"
                leftSection={<IconDownload size={16} />}
                onClick={() => download(mandato.data.name, mandato.data.data, 'application/pdf')}
              >
                {t('mandato.save')}
              </Button>
              <Button
                leftSection={<IconPrinter size={16} />}
                onClick={() =>
                  void import('../../lib/pdf.ts').then(({ printPdf }) =>
                    printPdf(mandato.data.data, mandato.data.name),
                  )
                }
              >
                {t('mandato.print')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Group>
  );
}
