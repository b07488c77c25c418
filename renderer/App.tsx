import { Badge, Container, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceSummary } from '../common/catalog.ts';
import type { Environment } from '../common/environments.ts';
import { api } from './api.ts';

export function App() {
  const { t } = useTranslation();
  const [services, setServices] = useState<ServiceSummary[] | null>(null);
  const [environment, setEnvironment] = useState<Environment | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.app.info().then(
      (info) => setEnvironment(info.environment),
      (e: Error) => setError(e.message),
    );
    api.catalog.list().then(setServices, (e: Error) => setError(e.message));
  }, []);

  return (
    <Container size="md" py="xl">
      <Stack>
        <Group justify="space-between">
          <Title order={1}>{t('app.name')}</Title>
          {environment && (
            <Badge color={environment === 'produzione' ? 'blue' : 'orange'}>{t(`env.${environment}`)}</Badge>
          )}
        </Group>
        <Title order={3}>{t('home.title')}</Title>
        {error && <Text c="red">{error}</Text>}
        {services ? <Text>{t('home.services', { count: services.length })}</Text> : !error && <Loader />}
      </Stack>
    </Container>
  );
}
