import { Alert, Box, Button, Group, Kbd, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconFilePlus, IconHome, IconListDetails, IconSettings } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';
import { euro } from '../../lib/format.ts';
import { keys, useLiveUpdates } from '../../lib/queries.ts';
import { Outlet, useLocation, useNavigate } from '../../lib/router.tsx';
import { firstStartPending } from '../../../common/first-start.ts';
import { OfficeBanner } from './OfficeBanner.tsx';

// Asked once (or until answered): its code stays out of the first load.
const FirstStart = lazy(async () => ({ default: (await import('../setup/FirstStart.tsx')).FirstStart }));

/** "Più tardi" on the first start: until Sportello starts again (the window's session). */
const LATER = 'sportello.firstStartLater';
const putOff = () => {
  try {
    sessionStorage.setItem(LATER, '1');
  } catch {
    // No session storage: the page is put off for as long as this window shows it.
  }
};
const putOffBefore = () => {
  try {
    return sessionStorage.getItem(LATER) === '1';
  } catch {
    return false;
  }
};

const NAV = [
  { to: '/', key: 'nav.home', icon: IconHome, hotkey: '1' },
  { to: '/nuova', key: 'nav.new', icon: IconFilePlus, hotkey: '2' },
  { to: '/pratiche', key: 'nav.requests', icon: IconListDetails, hotkey: '3' },
  { to: '/impostazioni', key: 'nav.settings', icon: IconSettings, hotkey: '4' },
] as const;

export function Layout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  useLiveUpdates();
  const info = useQuery({ queryKey: keys.info, queryFn: () => api.app.info() });
  const settings = useQuery({ queryKey: keys.settings, queryFn: () => api.settings.get() });
  const credit = useQuery({ queryKey: keys.credit, queryFn: () => api.app.credit() });
  const balance = credit.data?.credit ?? null;
  const environment = info.data?.environment;
  const [later, setLater] = useState(putOffBefore);
  const asking = !!settings.data && firstStartPending(settings.data) && !later;

  // Shortcuts work from inside the fields too: the clerk's hands stay on the keyboard.
  useHotkeys(
    [
      ['mod+N', () => void navigate('/nuova')],
      ...NAV.map((item) => [`alt+${item.hotkey}`, () => void navigate(item.to)] as [string, () => void]),
    ],
    [],
  );

  const active = (to: string) => (to === '/' ? location.pathname === '/' : location.pathname.startsWith(to));

  // The header is as tall as its content (the Prova banner wraps on a narrow window): the menu and
  // the page start below it, whatever its height.
  const shell = useRef<HTMLDivElement>(null);
  const header = useRef<HTMLElement>(null);
  useEffect(() => {
    const element = header.current;
    if (!element) return;
    const observer = new ResizeObserver(() =>
      shell.current?.style.setProperty('--shell-header', `${element.offsetHeight}px`),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Mantine's AppShell look (fixed header and menu, the page scrolled by the window) drawn by
  // styles.css (.shell): the first screen does not load and run AppShell and NavLink for it.
  return (
    <div className="shell" ref={shell} data-prova={environment === 'prova' || undefined}>
      <header className="shell-header" ref={header}>
        {environment === 'prova' && (
          <Box bg="orange.7" c="white" px="md" py={4} role="status" data-testid="prova-banner">
            {/* Said in full on a wide window, in one short line on a narrow one (a large zoom). */}
            <Text size="sm" fw={600}>
              <span className="banner-long">{t('layout.provaBanner')}</span>
              <span className="banner-short">{t('layout.provaBannerShort')}</span>
            </Text>
          </Box>
        )}
        <Group h={60} px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={3} c="teal.8" component="p">
              {t('app.name')}
            </Title>
            {environment && <EnvBadge environment={environment} />}
          </Group>
          <Group gap="md" wrap="nowrap">
            {balance !== null && (
              <Text size="sm" c="dimmed" data-testid="header-credit" className="shell-header-extra">
                {t('layout.credit', { amount: euro(balance) })}
              </Text>
            )}
            {settings.data && (settings.data.officeName || settings.data.operatorName) && (
              <Text size="sm" c="dimmed" className="shell-header-extra" truncate>
                {[settings.data.officeName, settings.data.operatorName].filter(Boolean).join(' · ')}
              </Text>
            )}
            {/* The shortcut shown on the button itself: no tooltip machinery on the first screen. */}
            <Button
              leftSection={<IconFilePlus size={18} aria-hidden />}
              rightSection={
                <Kbd size="xs" aria-hidden className="shell-kbd">
                  Ctrl+N
                </Kbd>
              }
              aria-keyshortcuts="Control+N"
              onClick={() => void navigate('/nuova')}
            >
              {t('nav.new')}
            </Button>
          </Group>
        </Group>
      </header>
      <nav className="shell-navbar" aria-label={t('layout.navigation')}>
        {NAV.map((item) => (
          <a
            key={item.to}
            href={`#${item.to}`}
            className="nav-link mantine-focus-auto"
            title={t(item.key)}
            aria-current={active(item.to) ? 'page' : undefined}
            aria-keyshortcuts={`Alt+${item.hotkey}`}
            onClick={(event) => {
              event.preventDefault();
              void navigate(item.to);
            }}
          >
            <item.icon size={18} aria-hidden className="nav-link-icon" />
            <span className="nav-link-label">{t(item.key)}</span>
            <Kbd size="xs" aria-hidden className="shell-kbd">
              Alt+{item.hotkey}
            </Kbd>
          </a>
        ))}
      </nav>
      <main className="shell-main">
        <OfficeBanner />
        {asking ? (
          <Suspense fallback={null}>
            <FirstStart
              preferences={settings.data}
              onLater={() => {
                putOff();
                setLater(true);
              }}
            />
          </Suspense>
        ) : (
          <Outlet fallback={(error) => <NoScreen failed={!!error} />} />
        )}
      </main>
    </div>
  );
}

/** An address with no screen, or a screen whose code did not load (say, the files changed under it). */
function NoScreen({ failed }: { failed: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Alert
      color={failed ? 'red' : 'gray'}
      role="alert"
      title={t(failed ? 'layout.screenFailed' : 'layout.notFound')}
    >
      <Group gap="sm" mt="xs">
        {failed && <Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>}
        <Button variant="default" onClick={() => void navigate('/')}>
          {t('layout.toHome')}
        </Button>
      </Group>
    </Alert>
  );
}
