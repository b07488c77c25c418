import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineProvider } from '../../../main/engine/provider.ts';
import { OAuthClient } from '../../../main/engine/oauth.ts';
import type { CredentialsService } from '../../../main/settings/credentials.ts';
import { builtInProva } from '../../../main/simulator/prova.ts';
import { memoryLogger } from '../../support/logger.ts';
import { tempDir } from '../../support/tmp.ts';

describe('Prova, as the composition root gives it to the engine provider', () => {
  it('starts the built-in simulator on first use only, keeps its requests in the state file, and stops when told', async () => {
    const stateFile = join(tempDir(), 'prova', 'simulatore.json');
    const prova = builtInProva({ stateFile });
    const http = (url: string, init: RequestInit) => fetch(url, init);
    const engines = new EngineProvider({
      http,
      credentials: {} as CredentialsService,
      oauth: new OAuthClient({ http, log: memoryLogger() }),
      log: memoryLogger(),
      now: Date.now,
      version: 'test',
      prova: prova.access,
    });
    try {
      const [a, b] = await Promise.all([prova.access(), prova.access()]);
      expect(a.baseUrl).toBe(b.baseUrl);
      const engine = await engines.forEnvironment('prova');
      expect(engine.baseUrl).toBe(a.baseUrl);
      expect((await engine.listServices()).length).toBeGreaterThan(50);
      expect(await engines.oauthAccess('prova')).toEqual({
        baseUrl: a.baseUrl,
        email: a.owner,
        apiKey: a.apiKey,
      });
      const opened = await engine.open({
        service: '8a7c8386fff43d28182cfa2ad24a3532',
        values: { $0: 'Mario' },
        options: [],
      });
      expect(opened.transaction).toBe('open');
      expect(existsSync(stateFile)).toBe(true);
    } finally {
      await prova.stop();
    }
    await expect(fetch(`${(await engines.forEnvironment('prova')).baseUrl}/visure`)).rejects.toThrow();
  });

  it('is unavailable, saying so, when the composition root gives none', async () => {
    const http = (url: string, init: RequestInit) => fetch(url, init);
    const engines = new EngineProvider({
      http,
      credentials: {} as CredentialsService,
      oauth: new OAuthClient({ http, log: memoryLogger() }),
      log: memoryLogger(),
      now: Date.now,
      version: 'test',
    });
    await expect(engines.forEnvironment('prova')).rejects.toMatchObject({ code: 'internal' });
  });
});
