import { unwrapApi } from '../common/client-api.ts';
import { takeEarly } from './lib/early.ts';

/** The only way the UI talks to main: results, or a thrown ApiError with a translatable code. */
export const api = unwrapApi(window.api, takeEarly);
