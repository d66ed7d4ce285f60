/** Opens the configured store and brings its schema up to date. */
import type { Store } from './store';
import { SqliteStore } from './sqlite/sqlite-store';
import type { StoreLogger } from './mssql/mssql-db';

export type { StoreLogger } from './mssql/mssql-db';

/** Which database to open; src/config/config.ts reads it from the environment (STORE, …). */
export type StoreConfig =
  | {
      kind: 'sqlite';
      path: string;
      /** The connection's page cache in MB (SqliteStoreOptions.cacheMb); the driver's 16 MB when undefined. */
      cacheMb?: number;
    }
  | {
      kind: 'mssql';
      connectionString: string;
      /** Default dbo; see MssqlStoreOptions. */
      schema?: string;
      requestTimeoutMs?: number;
      longRequestTimeoutMs?: number;
      /** Connections of the long-work pool; default 2, never more than the main pool. */
      longPoolMax?: number;
      connectRetryMs?: number;
    };

export interface OpenStoreOptions {
  /** The application's logger (pino fits): the SQL Server adapter reports there what an operator should act on. */
  logger?: StoreLogger;
}

export async function openStore(cfg: StoreConfig, opts: OpenStoreOptions = {}): Promise<Store> {
  const store: Store =
    cfg.kind === 'sqlite'
      ? SqliteStore.open({ filename: cfg.path, ...(cfg.cacheMb !== undefined ? { cacheMb: cfg.cacheMb } : {}) })
      : // Loaded lazily so the embedded default never pays for the SQL Server driver.
        await (await import('./mssql/mssql-store.js')).MssqlStore.open({
          connectionString: cfg.connectionString,
          ...(cfg.schema !== undefined ? { schema: cfg.schema } : {}),
          ...(cfg.requestTimeoutMs !== undefined ? { requestTimeoutMs: cfg.requestTimeoutMs } : {}),
          ...(cfg.longRequestTimeoutMs !== undefined ? { longRequestTimeoutMs: cfg.longRequestTimeoutMs } : {}),
          ...(cfg.longPoolMax !== undefined ? { longPoolMax: cfg.longPoolMax } : {}),
          ...(cfg.connectRetryMs !== undefined ? { connectRetryMs: cfg.connectRetryMs } : {}),
          ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
        });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw new Error(`Applying database migrations failed (${cfg.kind}): ${(err as Error).message}`);
  }
  return store;
}
