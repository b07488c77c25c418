/*
 * Windows' Mark-of-the-Web: an alternate data stream `Zone.Identifier` saying a file came from the
 * Internet (ZoneId=3). Office then opens it in Protected View, SmartScreen checks it, and Explorer
 * warns before running anything inside it, as for a file downloaded with a browser.
 */

/** Writes one small file: the stream `<path>:Zone.Identifier`. A seam for tests. */
export type WriteStream = (path: string, text: string) => Promise<void>;

export const ZONE_IDENTIFIER = '[ZoneTransfer]\r\nZoneId=3\r\n';

/**
 * Marks `path` as downloaded from the Internet, on Windows; elsewhere there is no such stream
 * (and writing `name:Zone.Identifier` would make a second, visible file). True when marked.
 */
export async function markFromInternet(
  path: string,
  options: { platform: NodeJS.Platform; write: WriteStream; hostUrl?: string },
): Promise<boolean> {
  if (options.platform !== 'win32') return false;
  const host = options.hostUrl ? `HostUrl=${options.hostUrl}\r\n` : '';
  await options.write(`${path}:Zone.Identifier`, `${ZONE_IDENTIFIER}${host}`);
  return true;
}
