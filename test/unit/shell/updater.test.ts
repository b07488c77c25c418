import { describe, expect, it } from 'vitest';
import { updateFeed } from '../../../main/adapters/updater.ts';

const packaged = { isPackaged: true, envUrl: undefined, builtInConfig: null };
const builtIn = (url: string) =>
  `provider: generic\nurl: ${url}\nchannel: latest\nupdaterCacheDirName: sportello-updater\n`;

describe('auto-update', () => {
  it('is off unless a feed is configured', () => {
    expect(updateFeed(packaged)).toMatchObject({ kind: 'off' });
  });

  it('is off in development, whatever is configured', () => {
    expect(updateFeed({ ...packaged, isPackaged: false, envUrl: 'https://agg.example.it/' })).toMatchObject({
      kind: 'off',
    });
  });

  it('uses the feed the installer was built with', () => {
    expect(updateFeed({ ...packaged, builtInConfig: builtIn('https://agg.example.it/sportello') })).toEqual({
      kind: 'url',
      url: 'https://agg.example.it/sportello',
    });
  });

  it('lets SPORTELLO_UPDATE_URL on the PC override it, or turn it off', () => {
    const config = builtIn('https://agg.example.it/sportello');
    expect(updateFeed({ ...packaged, builtInConfig: config, envUrl: 'https://interno.example.it/' })).toEqual(
      {
        kind: 'url',
        url: 'https://interno.example.it/',
      },
    );
    expect(updateFeed({ ...packaged, builtInConfig: config, envUrl: 'off' })).toMatchObject({ kind: 'off' });
  });

  it('treats an installer built with SPORTELLO_UPDATE_URL=off as never updating', () => {
    expect(updateFeed({ ...packaged, builtInConfig: builtIn('off') })).toMatchObject({ kind: 'off' });
  });

  it('refuses feeds that are not https', () => {
    expect(updateFeed({ ...packaged, envUrl: 'http://agg.example.it/' })).toMatchObject({ kind: 'off' });
    expect(updateFeed({ ...packaged, envUrl: 'file:///srv/agg' })).toMatchObject({ kind: 'off' });
    expect(updateFeed({ ...packaged, envUrl: 'nonsense' })).toMatchObject({ kind: 'off' });
  });
});
