/**
 * botbuilder's Storage (turn state) on top of the project's StateStore, with eTag optimistic
 * concurrency: a write carrying a stale eTag fails instead of silently overwriting a parallel turn.
 */
import type { Storage, StoreItems } from 'botbuilder';
import type { StateStore, StateWrite } from '../store/store';

export class StoreStorage implements Storage {
  constructor(private readonly state: StateStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys.length) return {};
    const found = await this.state.read(keys);
    const items: StoreItems = {};
    for (const [key, rec] of found) {
      items[key] = { ...(JSON.parse(rec.value) as object), eTag: rec.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const writes: StateWrite[] = Object.entries(changes).map(([key, item]) => {
      const { eTag, ...rest } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      return { key, value: JSON.stringify(rest), ...(eTag !== undefined ? { expectedEtag: eTag } : {}) };
    });
    if (!writes.length) return;
    const etags = await this.state.write(writes);
    // botbuilder expects callers' objects to carry the new eTag so a second save in the same turn succeeds.
    for (const [key, etag] of etags) {
      const item = changes[key] as { eTag?: string } | undefined;
      if (item && typeof item === 'object') item.eTag = etag;
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.state.delete(keys);
  }
}
