/**
 * A worker thread of test/store/sqlite.test.ts: its own SQLite connection (as another process
 * would have) claiming and finishing outbox rows until none are left; posts the keys it claimed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const { filename, owner, now } = workerData as { filename: string; owner: string; now: string };

async function main(): Promise<void> {
  const store = SqliteStore.open({ filename, busyTimeoutMs: 30_000 });
  // Start together: every worker is loaded and connected before any claims.
  await new Promise<void>((resolve) => {
    parentPort!.once('message', () => resolve());
    parentPort!.postMessage({ ready: true });
  });
  const claimed: string[] = [];
  try {
    for (;;) {
      const rows = await store.outbox.claim(owner, new Date(now), 60_000, 3);
      if (rows.length === 0) break;
      for (const r of rows) {
        claimed.push(r.key);
        if (!(await store.outbox.finish(r.id, owner, { state: 'sent' }, new Date(now)))) throw new Error(`${owner} lost ${r.key}`);
      }
    }
  } finally {
    await store.close();
  }
  parentPort!.postMessage({ claimed });
}

main().catch((err: unknown) => parentPort!.postMessage({ error: `${owner}: ${(err as Error).message}` }));
