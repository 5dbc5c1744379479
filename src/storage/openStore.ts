import type { Logger } from '../logger.js';
import { openPostgresStore } from './postgresStore.js';
import { openSqliteStore } from './sqliteStore.js';
import type { Store } from './store.js';

export interface StoreSettings {
  dataDir: string;
  memberHashKey: string | undefined;
  /** PostgreSQL when set; the SQLite file in the data directory otherwise. */
  databaseUrl: string | undefined;
}

/** The bot's store: PostgreSQL when DATABASE_URL is set, else SQLite with nothing to configure. */
export async function openStore(settings: StoreSettings, logger: Logger): Promise<Store> {
  const { dataDir, memberHashKey, databaseUrl } = settings;
  if (databaseUrl === undefined) return openSqliteStore({ dataDir, memberHashKey });
  return openPostgresStore({
    url: databaseUrl,
    dataDir,
    memberHashKey,
    onIdleError: (error) => logger.warn({ err: error }, 'a PostgreSQL connection failed while idle; the pool opens another'),
  });
}
