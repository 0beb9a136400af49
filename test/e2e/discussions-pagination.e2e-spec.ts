import { createGroup } from '@kinship/testing';
import {
  activeMember,
  type Community,
  listAll,
  newReply,
  newThread,
  startCommunity,
} from './discussions-fixtures';

/**
 * Keyset pagination stays exact while content arrives: a reader paging with limit 7 while another
 * client keeps writing sees every item exactly once, in order, and never an item twice.
 */
describe('discussions: pagination while content arrives', () => {
  let c: Community;
  beforeAll(async () => {
    c = await startCommunity();
  });
  afterAll(() => c?.t.close());

  /** Pages through `path` with limit 7, `writing` until the last page is served. */
  async function pageWhileWriting(path: string, write: () => Promise<unknown>, token: string) {
    const seen: any[] = [];
    let done = false;
    let written = 0;
    const writer = (async () => {
      while (!done) {
        await write();
        written++;
      }
    })();
    let cursor: string | null = null;
    let pages = 0;
    let writtenBeforeLastPage: number;
    try {
      do {
        // Let the writer get some posts in between pages.
        await new Promise((r) => setTimeout(r, 15));
        writtenBeforeLastPage = written;
        const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const res = await c.t.get(`${path}?limit=7${q}`, { token });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(7);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
    } finally {
      done = true;
      await writer;
    }
    return { seen, pages, writtenBeforeLastPage, written };
  }

  it('posts: every post exactly once and oldest first while another client keeps posting', async () => {
    const { t, member, groupModerator, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    for (let i = 0; i < 30; i++) {
      await newReply(
        t,
        thread.id,
        i % 2 ? member.accessToken : groupModerator.accessToken,
        `#${i}`,
      );
    }
    const before = await listAll(t, `/threads/${thread.id}/posts`);
    expect(before).toHaveLength(31);

    let n = 0;
    const { seen, pages, writtenBeforeLastPage, written } = await pageWhileWriting(
      `/threads/${thread.id}/posts`,
      () => newReply(t, thread.id, groupModerator.accessToken, `live ${n++}`),
      member.accessToken,
    );
    expect(written).toBeGreaterThan(0);
    expect(pages).toBeGreaterThan(4);

    const all = await listAll(t, `/threads/${thread.id}/posts`);
    const ids = seen.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length); // never twice
    // A prefix of the final order: nothing skipped, nothing out of order.
    expect(ids).toEqual(all.slice(0, ids.length).map((p) => p.id));
    // Everything that existed, and everything written before the last page was asked for.
    expect(ids.length).toBeGreaterThanOrEqual(before.length + writtenBeforeLastPage);
    const keys = seen.map((p) => `${p.createdAt}|${p.id}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('threads: every thread exactly once, newest activity first, while new threads arrive', async () => {
    const { t, owner } = c;
    const group = await createGroup(t, owner.accessToken);
    const writerMember = await activeMember(t, owner, [group]);
    for (let i = 0; i < 25; i++)
      await newThread(t, group.id, owner.accessToken, { title: `T ${i}` });
    const before = await listAll(t, `/groups/${group.id}/threads`);
    expect(before).toHaveLength(25);

    const { seen, written } = await pageWhileWriting(
      `/groups/${group.id}/threads`,
      () => newThread(t, group.id, writerMember.accessToken, { title: 'Arriving' }),
      owner.accessToken,
    );
    expect(written).toBeGreaterThan(0);
    const ids = seen.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    // New threads sort before the first page's cursor, so the reader sees exactly the old ones,
    // plus any that arrived before the first page was served, at the top.
    const old = ids.filter((id) => before.some((b) => b.id === id));
    expect(old).toEqual(before.map((b) => b.id));
    const keys = seen.map((x) => `${x.lastActivityAt}|${x.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
  });

  it('a cursor survives as exact for a page whose posts share no millisecond', async () => {
    const { t, member, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    // Replies written back to back land in the same millisecond without the 1 ms bump.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => newReply(t, thread.id, member.accessToken, `${i}`)),
    );
    const all = await listAll(t, `/threads/${thread.id}/posts`, undefined, 100);
    const times = all.map((p) => p.createdAt);
    expect(new Set(times).size).toBe(times.length);
    const paged = await listAll(t, `/threads/${thread.id}/posts`, undefined, 2);
    expect(paged.map((p) => p.id)).toEqual(all.map((p) => p.id));
  });

  it('bad page parameters are 400s, forged cursors included', async () => {
    const { t, member, publicGroup } = c;
    const thread = await newThread(t, publicGroup.id, member.accessToken);
    const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const queries = [
      'limit=0',
      'limit=101',
      'limit=-1',
      'limit=2.5',
      'cursor=%%%',
      `cursor=${forged([1])}`,
      `cursor=${forged(['yesterday', thread.id])}`,
      `cursor=${forged([thread.createdAt, 'not-a-uuid'])}`,
      `cursor=${forged([12, 13])}`,
    ];
    for (const path of [`/threads/${thread.id}/posts`, `/groups/${publicGroup.id}/threads`]) {
      for (const q of queries) {
        const res = await t.get(`${path}?${q}`);
        expect({ path, q, status: res.status }).toEqual({ path, q, status: 400 });
      }
    }
  });
});
