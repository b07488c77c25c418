import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Environment } from '../../common/environments.ts';

const COLORS: Record<Environment, string> = { prova: 'orange', sandbox: 'grape', produzione: 'blue' };

export function EnvBadge({
  environment,
  size = 'md',
}: {
  environment: Environment;
  size?: 'sm' | 'md' | 'lg';
}) {
  const { t } = useTranslation();
  return (
    <Badge
      color={COLORS[environment]}
      size={size}
      variant={environment === 'produzione' ? 'light' : 'filled'}
      data-testid="env-badge"
    >
      {t(`env.${environment}`)}
    </Badge>
  );
}
