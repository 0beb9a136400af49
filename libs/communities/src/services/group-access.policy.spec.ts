import { CommunitiesException } from '../communities.exception';
import type { GroupEntity } from '../entities/group.entity';
import type { MembershipEntity } from '../entities/membership.entity';
import { assertCanWrite, type GroupAccess, mutedUntil } from './group-access.policy';

const access = (membership: Partial<MembershipEntity> | null): GroupAccess => ({
  group: {} as GroupEntity,
  membership: membership as MembershipEntity | null,
  isModerator: false,
});

describe('writing while muted', () => {
  const now = new Date('2026-11-01T12:00:00.000Z');
  const later = new Date('2026-11-01T13:00:00.000Z');
  const earlier = new Date('2026-11-01T11:00:00.000Z');

  it('refuses an active member whose mute still runs, naming its end', () => {
    const error = (() => {
      try {
        assertCanWrite(access({ status: 'active', mutedUntil: later }), now);
      } catch (e) {
        return e as CommunitiesException;
      }
    })();
    expect(error).toBeInstanceOf(CommunitiesException);
    expect(error).toMatchObject({
      status: 403,
      code: 'muted',
      extensions: { mutedUntil: later.toISOString() },
    });
  });

  it('lets the member write again once the mute has ended, by itself', () => {
    expect(() =>
      assertCanWrite(access({ status: 'active', mutedUntil: earlier }), now),
    ).not.toThrow();
    expect(() => assertCanWrite(access({ status: 'active', mutedUntil: now }), now)).not.toThrow();
    expect(mutedUntil({ mutedUntil: earlier }, now)).toBeNull();
    expect(mutedUntil({ mutedUntil: later }, now)).toEqual(later);
    expect(mutedUntil(null, now)).toBeNull();
  });

  it('a ban stays a ban, muted or not', () => {
    expect(() => assertCanWrite(access({ status: 'banned', mutedUntil: null }), now)).toThrow(
      'You are banned from this group',
    );
  });
});
