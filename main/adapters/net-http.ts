import { net } from 'electron';
import type { Http } from '../ports.ts';

/** Chromium's network stack: the system proxy (PAC, auth) and the OS certificate store, as offices need. */
export const netHttp: Http = (url, init) => net.fetch(url, init);
