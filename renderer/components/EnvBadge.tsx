import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Environment } from '../../common/environments.ts';

const COLORS: Record<Environment, string> = { prova: 'orange', sandbox: 'grape', produzione: 'blue' };

export function EnvBadge({
  environment,
  size = 'md',
  testId = 'env-badge',
}: {
  environment: Environment;
  size?: 'xs' | 'sm' | 'md' | 'lg';
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Badge
      color={COLORS[environment]}
      size={size}
      variant={environment === 'produzione' ? 'light' : 'filled'}
      tt="none"
      style={{ flexShrink: 0 }}
      data-testid={testId}
    >
      {t(`env.${environment}`)}
    </Badge>
  );
}

/**
 * A test request listed beside real ones says so: Prova's and Sandbox's rows carry their
 * environment; Produzione's, the real ones, carry nothing.
 */
export function TestMark({ environment, size = 'sm' }: { environment: Environment; size?: 'xs' | 'sm' }) {
  if (environment === 'produzione') return null;
  return <EnvBadge environment={environment} size={size} testId="env-mark" />;
}
