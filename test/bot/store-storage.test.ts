/** botbuilder's Storage contract on our store: what ConversationState/UserState and Teams AI rely on. */
import assert from 'node:assert/strict';
import { ConversationState, MemoryStorage, TestAdapter, type Storage } from 'botbuilder';
import { StoreStorage } from '../../src/bot/store-storage';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

describe('StoreStorage (botbuilder Storage on the store)', () => {
  let store: SqliteStore;
  let storage: Storage;
  beforeEach(async () => {
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
    storage = new StoreStorage(store.state);
  });
  afterEach(() => store.close());

  it('round-trips items and hands out a new eTag on every write', async () => {
    const item: { count: number; eTag?: string } = { count: 1 };
    await storage.write({ k: item });
    const first = item.eTag;
    assert.ok(first, 'the written object carries its new eTag');
    const read = await storage.read(['k', 'nope']);
    assert.deepEqual(read, { k: { count: 1, eTag: first } });
    await storage.write({ k: { ...read.k, count: 2 } });
    const again = await storage.read(['k']);
    assert.equal(again.k.count, 2);
    assert.notEqual(again.k.eTag, first);
  });

  it('rejects a write carrying a stale eTag, like MemoryStorage', async () => {
    for (const s of [new MemoryStorage(), storage]) {
      await s.write({ k: { v: 1 } });
      const a = (await s.read(['k'])).k;
      const b = (await s.read(['k'])).k;
      await s.write({ k: { ...a, v: 2 } });
      await assert.rejects(s.write({ k: { ...b, v: 3 } }), /eTag conflict/);
      assert.equal((await s.read(['k'])).k.v, 2);
    }
  });

  it('allows "*" to overwrite and deletes', async () => {
    await storage.write({ k: { v: 1 } });
    await storage.write({ k: { v: 2, eTag: '*' } });
    assert.equal((await storage.read(['k'])).k.v, 2);
    await storage.delete(['k']);
    assert.deepEqual(await storage.read(['k']), {});
  });

  it('persists botbuilder ConversationState between turns', async () => {
    const convo = new ConversationState(storage);
    const counter = convo.createProperty<number>('count');
    const adapter = new TestAdapter(async (ctx) => {
      const n = (await counter.get(ctx, 0)) + 1;
      await counter.set(ctx, n);
      await convo.saveChanges(ctx);
      await ctx.sendActivity(`n=${n}`);
    });
    await adapter.send('a').assertReply('n=1').send('b').assertReply('n=2').startTest();
    const keys = (await store.state.read([`test/conversations/Convo1/`])).size;
    assert.equal(keys, 1, 'the state lives in the database under botbuilder\'s key');
  });
});
