/** Opens the configured store and brings its schema up to date. */
import type { Store } from './store';
import { SqliteStore } from './sqlite/sqlite-store';

/** Which database to open; src/config/config.ts reads it from the environment (STORE, …). */
export type StoreConfig =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'mssql';
      connectionString: string;
      /** Default dbo; see MssqlStoreOptions. */
      schema?: string;
      requestTimeoutMs?: number;
      longRequestTimeoutMs?: number;
      connectRetryMs?: number;
    };

export async function openStore(cfg: StoreConfig): Promise<Store> {
  const store: Store =
    cfg.kind === 'sqlite'
      ? SqliteStore.open({ filename: cfg.path })
      : // Loaded lazily so the embedded default never pays for the SQL Server driver.
        await (await import('./mssql/mssql-store.js')).MssqlStore.open({
          connectionString: cfg.connectionString,
          ...(cfg.schema !== undefined ? { schema: cfg.schema } : {}),
          ...(cfg.requestTimeoutMs !== undefined ? { requestTimeoutMs: cfg.requestTimeoutMs } : {}),
          ...(cfg.longRequestTimeoutMs !== undefined ? { longRequestTimeoutMs: cfg.longRequestTimeoutMs } : {}),
          ...(cfg.connectRetryMs !== undefined ? { connectRetryMs: cfg.connectRetryMs } : {}),
        });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw new Error(`Applying database migrations failed (${cfg.kind}): ${(err as Error).message}`);
  }
  return store;
}
