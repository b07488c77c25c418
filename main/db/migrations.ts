import type { Migration } from './migrate.ts';
import { migration001 } from './migrations/001_initial.ts';
import { migration002 } from './migrations/002_search_index.ts';
import { migration003 } from './migrations/003_log_at_scale.ts';
import { migration004 } from './migrations/004_remote_ledger.ts';
import { migration005 } from './migrations/005_purge_trail.ts';
import { migration006 } from './migrations/006_clients.ts';
import { migration007 } from './migrations/007_tracked.ts';
import { migration008 } from './migrations/008_office.ts';
import { migration009 } from './migrations/009_event_origin.ts';
import { migration010 } from './migrations/010_account_requests.ts';
import { migration011 } from './migrations/011_documents_in_register.ts';
import { migration012 } from './migrations/012_pratica_numbers.ts';

/** Every migration, in order. A new one is a new numbered file, added here. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
];
