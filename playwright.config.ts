import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const CAMERA_FEED = join(import.meta.dirname, 'test-results', 'camera-feed.y4m');

/**
 * Two suites (and the e2e suite's teardown, e2e-logs: every log line of the run scanned for the
 * codici fiscali and names typed in it):
 * - e2e: the real renderer (built by `npm run build`) in Debian's Chromium, served by the test
 *   harness with the real main services, the simulator and a real SQLite file (test/harness/).
 * - electron: a smoke test of the packaged shell through Playwright's `_electron`; it runs where an
 *   Electron binary exists and otherwise reports itself skipped, saying why.
 */
export default defineConfig({
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  outputDir: 'test-results/playwright',
  globalSetup: './test/e2e/global-setup.ts',
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  projects: [
    {
      name: 'e2e',
      testDir: 'test/e2e',
      testIgnore: /log-scan\.teardown\.ts/,
      // After every e2e test: the scan of their logs for the clients' data typed in them.
      teardown: 'e2e-logs',
      use: {
        browserName: 'chromium',
        headless: true,
        viewport: { width: 1366, height: 860 },
        locale: 'it-IT',
        timezoneId: 'Europe/Rome',
        screenshot: 'only-on-failure',
        trace: 'retain-on-failure',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            // The document camera: a fake device playing a card photo made by global-setup.ts.
            '--use-fake-device-for-media-stream',
            '--use-fake-ui-for-media-stream',
            `--use-file-for-fake-video-capture=${CAMERA_FEED}`,
          ],
        },
      },
    },
    { name: 'e2e-logs', testDir: 'test/e2e', testMatch: /log-scan\.teardown\.ts/ },
    { name: 'electron', testDir: 'test/electron' },
  ],
});
