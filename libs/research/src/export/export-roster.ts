import { Injectable } from '@nestjs/common';
import { MembershipDirectory } from '@kinship/communities';
import { EngagementMetrics, type MemberSummary } from '@kinship/engagement';
import { kAnonymise, peopleCount, type QiRow } from '../anonymise/k-anonymity';
import {
  CONSENT_PERIOD,
  daysBetween,
  GROUP_ROLE,
  JOIN_PERIOD,
  monthOf,
} from '../anonymise/periods';
import { Pseudonymiser } from '../anonymise/pseudonymiser';
import type { StudyEntity } from '../entities/study.entity';
import { ConsentRepository } from '../repositories/consent.repository';
import type { buildCodebook } from './codebook';
import type { Cell } from './data-file.writer';

/** A participant kept in the export: their pseudonym and the codes of their kept groups. */
export interface RosterMember {
  pseudonym: string;
  groups: Map<string, string>;
}

/** Who is in the export, after consent and k-anonymity. */
export interface Roster {
  pseudonyms: Pseudonymiser;
  /** By user id: one lookup per event row decides whether and how it is written. */
  members: Map<string, RosterMember>;
  rows: Cell[][];
  codes: Map<string, string>;
  summary: Pick<
    Parameters<typeof buildCodebook>[0],
    'groups' | 'participants' | 'generalisations' | 'suppressedRows' | 'consentVersions'
  >;
}

/**
 * The participants of an export: who consented and was in a study group, their rows of
 * participants.csv made k-anonymous, and their pseudonyms, which the events and surveys reuse.
 */
@Injectable()
export class ExportRoster {
  constructor(
    private readonly consents: ConsentRepository,
    private readonly directory: MembershipDirectory,
    private readonly metrics: EngagementMetrics,
  ) {}

  /** Consented members, one row per study group they were active in, made k-anonymous. */
  async build(
    study: StudyEntity,
    secret: Buffer,
    window: { from: Date; to: Date },
  ): Promise<Roster> {
    const groups = study.groups ?? [];
    const codes = new Map(groups.map((g) => [g.groupId, g.code]));
    const conditions = new Map(groups.map((g) => [g.groupId, g.condition]));
    const consented = new Map((await this.consents.consented(study.id)).map((p) => [p.userId, p]));
    const memberships = (
      await this.directory.memberships([...codes.keys()], [...consented.keys()])
    ).filter(
      (m) =>
        m.joinedAt !== null &&
        (m.status === 'active' || m.status === 'left' || m.status === 'banned'),
    );
    // Each member's class, tier and counts per group, by engagement's definitions.
    const summaries = new Map(
      (
        await this.metrics.memberSummaries({
          groupIds: [...codes.keys()],
          from: window.from,
          to: window.to,
          posterMinContributions: study.posterMinContributions,
          participants: [...consented.keys()],
        })
      ).map((m) => [`${m.userId}:${m.groupId}`, m]),
    );
    const table: QiRow[] = memberships.map((m) => ({
      group: codes.get(m.groupId)!,
      role: m.role,
      join_period: monthOf(m.joinedAt!),
      consent_period: String(daysBetween(study.startsAt, consented.get(m.userId)!.grantedAt)),
    }));
    const result = kAnonymise(
      table,
      ['group'],
      [GROUP_ROLE, JOIN_PERIOD, CONSENT_PERIOD],
      study.kAnonymity,
    );
    const pseudonyms = new Pseudonymiser(secret);
    const members = new Map<string, RosterMember>();
    const perGroup = new Map<string, number>();
    const rows: Cell[][] = result.kept.map(({ index, values }) => {
      const m = memberships[index];
      const member = members.get(m.userId) ?? {
        pseudonym: pseudonyms.participant(m.userId),
        groups: new Map<string, string>(),
      };
      member.groups.set(m.groupId, values.group);
      members.set(m.userId, member);
      perGroup.set(m.groupId, (perGroup.get(m.groupId) ?? 0) + 1);
      return [
        member.pseudonym,
        values.group,
        conditions.get(m.groupId) ?? '',
        values.role,
        values.join_period,
        values.consent_period,
        consented.get(m.userId)!.consentVersion,
        ...classCells(summaries.get(`${m.userId}:${m.groupId}`)),
      ];
    });
    // Ordered by group and pseudonym: the order reveals nothing (not when anyone joined).
    rows.sort(
      (a, b) =>
        String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0])),
    );
    const k = study.kAnonymity;
    const users = [...members.keys()];
    return {
      pseudonyms,
      members,
      rows,
      codes,
      summary: {
        participants: peopleCount(users.length, k),
        groups: groups.map((g) => ({
          code: g.code,
          condition: g.condition,
          participants: peopleCount(perGroup.get(g.groupId) ?? 0, k),
        })),
        generalisations: result.generalisations,
        suppressedRows: peopleCount(result.suppressed.length, k),
        consentVersions: [
          ...new Set([...users].map((u) => consented.get(u)!.consentVersion)),
        ].sort(),
      },
    };
  }
}

/** The class columns of participants.csv; empty when the membership missed the window. */
function classCells(m: MemberSummary | undefined): Cell[] {
  if (!m) return [null, null, null, null, null, null, null, null, null];
  return [
    m.class,
    m.tier,
    m.contributions,
    m.threads,
    m.posts,
    m.chatMessages,
    m.reads,
    m.reactions,
    m.delurked ? 1 : 0,
  ];
}
