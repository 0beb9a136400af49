import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ALL_KEYS, InvalidationBus } from './invalidation-bus';

/** Options of the shared client (redis.module.ts): fail fast while Redis is away. */
const clientOf = (url: string, connectionName?: string) =>
  new Redis(url, {
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });

/** Keys each topic's handler saw, in order. */
function recorder(bus: InvalidationBus, topics: string[]) {
  const seen: Record<string, string[]> = {};
  const subscribed = topics.map((topic) => {
    seen[topic] = [];
    return bus.subscribe(topic, (key) => seen[topic].push(key));
  });
  return { seen, subscribed: Promise.all(subscribed) };
}

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(() => {
  // The "Redis unavailable" warnings are expected here.
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

describe('InvalidationBus without Redis (one process)', () => {
  it('runs the topic’s handlers at once, with the key, and only that topic’s', async () => {
    const bus = new InvalidationBus(null, { redisKeyPrefix: 'unused' });
    const { seen, subscribed } = recorder(bus, ['rules', 'settings']);
    await subscribed;
    await bus.publish('rules', 'group-1');
    await bus.publish('rules', ALL_KEYS);
    expect(seen).toEqual({ rules: ['group-1', ALL_KEYS], settings: [] });
  });

  it('a throwing handler neither throws into publish nor stops the others', async () => {
    const bus = new InvalidationBus(null, { redisKeyPrefix: 'unused' });
    jest.spyOn(Logger.prototype, 'error').mockImplementationOnce(() => undefined);
    const seen: string[] = [];
    await bus.subscribe('rules', () => {
      throw new Error('boom');
    });
    await bus.subscribe('rules', (key) => seen.push(key));
    await expect(bus.publish('rules', 'group-1')).resolves.toBeUndefined();
    expect(seen).toEqual(['group-1']);
  });
});

describe('InvalidationBus with Redis unreachable', () => {
  it('publish resolves and still drops the key on this process', async () => {
    // Nothing listens on port 1: the client fails fast (no offline queue), as during an outage.
    const client = clientOf('redis://127.0.0.1:1');
    client.on('error', () => undefined);
    const bus = new InvalidationBus(client, {
      redisKeyPrefix: `unit-${randomBytes(4).toString('hex')}`,
    });
    const seen: string[] = [];
    void bus.subscribe('rules', (key) => seen.push(key));
    try {
      await expect(bus.publish('rules', 'group-1')).resolves.toBeUndefined();
      expect(seen).toEqual(['group-1']);
    } finally {
      bus.onApplicationShutdown();
      client.disconnect();
    }
  });
});

const redisUrl = process.env.REDIS_URL;

(redisUrl ? describe : describe.skip)('InvalidationBus through Redis (REDIS_URL)', () => {
  const clients: Redis[] = [];
  const buses: InvalidationBus[] = [];
  const busWith = (prefix: string, connectionName?: string) => {
    const client = clientOf(redisUrl!, connectionName);
    const bus = new InvalidationBus(client, { redisKeyPrefix: prefix });
    clients.push(client);
    buses.push(bus);
    return bus;
  };
  afterAll(async () => {
    buses.forEach((bus) => bus.onApplicationShutdown());
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('a key published on one process is dropped on the others of the same prefix only', async () => {
    const prefix = `unit-${randomBytes(4).toString('hex')}`;
    const [a, b, elsewhere] = [busWith(prefix), busWith(prefix), busWith(`${prefix}-other`)];
    const atA = recorder(a, ['rules']);
    const atB = recorder(b, ['rules', 'settings']);
    const atElsewhere = recorder(elsewhere, ['rules']);
    await Promise.all([atA.subscribed, atB.subscribed, atElsewhere.subscribed]);
    // The first connect drops everything once (messages before it were missed).
    await until(() =>
      [atA.seen.rules, atB.seen.rules, atB.seen.settings, atElsewhere.seen.rules].every((keys) =>
        keys.includes(ALL_KEYS),
      ),
    );
    atA.seen.rules.length = atB.seen.rules.length = atB.seen.settings.length = 0;
    atElsewhere.seen.rules.length = 0;

    await a.publish('rules', 'group-1');
    await a.publish('rules', ALL_KEYS);
    await until(() => atB.seen.rules.length === 2);
    expect(atB.seen).toEqual({ rules: ['group-1', ALL_KEYS], settings: [] });
    // The publisher dropped them itself, once (its own message coming back is ignored).
    await new Promise((r) => setTimeout(r, 100));
    expect(atA.seen.rules).toEqual(['group-1', ALL_KEYS]);
    expect(atElsewhere.seen.rules).toEqual([]);
  });

  it('ignores messages on its channels that are not its own format', async () => {
    const prefix = `unit-${randomBytes(4).toString('hex')}`;
    const bus = busWith(prefix);
    const { seen, subscribed } = recorder(bus, ['rules']);
    await subscribed;
    await until(() => seen.rules.includes(ALL_KEYS));
    seen.rules.length = 0;
    const raw = clients[clients.length - 1];
    await raw.publish(`${prefix}:invalidate:rules`, 'not json');
    await raw.publish(`${prefix}:invalidate:rules`, JSON.stringify({ key: 42 }));
    await raw.publish(`${prefix}:invalidate:rules`, JSON.stringify({ key: 'group-9' }));
    await until(() => seen.rules.length === 1);
    expect(seen.rules).toEqual(['group-9']);
  });

  it('after its connection dropped, subscribes again and drops everything (messages were lost)', async () => {
    const prefix = `unit-${randomBytes(4).toString('hex')}`;
    const [a, b] = [busWith(prefix), busWith(prefix, `${prefix}-b`)];
    const atB = recorder(b, ['rules']);
    await atB.subscribed;
    await until(() => atB.seen.rules.includes(ALL_KEYS));
    atB.seen.rules.length = 0;
    // Only B's subscriber connection (it carries the client's name) is cut, not Redis.
    const admin = clients[0];
    const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const line = list.split('\n').find((l) => l.includes(` name=${prefix}-b `));
    expect(line).toBeDefined();
    await admin.call('CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(line!)![1]);
    await until(() => atB.seen.rules.includes(ALL_KEYS), 5_000);
    await a.publish('rules', 'group-2');
    await until(() => atB.seen.rules.includes('group-2'));
  });
});
