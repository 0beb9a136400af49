import { ApiProperty } from '@nestjs/swagger';

class PerMemberDto {
  @ApiProperty({ type: Number, nullable: true }) median: number | null;
  @ApiProperty({ type: Number, nullable: true }) mean: number | null;
}

class ContributionsDto {
  @ApiProperty({ type: Number, nullable: true }) total: number | null;
  @ApiProperty({ type: Number, nullable: true }) threads: number | null;
  @ApiProperty({ type: Number, nullable: true }) posts: number | null;
  @ApiProperty({ type: Number, nullable: true }) chatMessages: number | null;
  @ApiProperty({ type: PerMemberDto }) perMember: PerMemberDto;
}

class ReadsDto {
  @ApiProperty({ type: Number, nullable: true }) total: number | null;
  @ApiProperty({ type: Number, nullable: true }) threadReads: number | null;
  @ApiProperty({ type: Number, nullable: true }) chatReads: number | null;
  @ApiProperty({ type: PerMemberDto }) perMember: PerMemberDto;
}

class NewcomersDto {
  @ApiProperty({ type: Number, nullable: true }) count: number | null;
  @ApiProperty({ type: Number, nullable: true }) withFirstContribution: number | null;
  @ApiProperty({ type: Number, nullable: true }) replied: number | null;
  @ApiProperty({ type: Number, nullable: true }) medianHoursToReply: number | null;
}

class RetentionWeekDto {
  @ApiProperty() week: number;
  @ApiProperty({ type: Number, nullable: true }) eligible: number | null;
  @ApiProperty({ type: Number, nullable: true }) active: number | null;
  @ApiProperty({ type: Number, nullable: true }) share: number | null;
}

/**
 * One study group's metrics (libs/engagement/METRICS.md), over the study's consenting members.
 * Every count of people under the study's k is null, and so is every figure computed from a
 * suppressed count; when the group has fewer than k participants, every figure is null.
 */
export class GroupMetricsDto {
  @ApiProperty({ example: 'G01' }) groupCode: string;
  @ApiProperty() condition: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Classified participants.' })
  participants: number | null;
  @ApiProperty({ type: Number, nullable: true }) posters: number | null;
  @ApiProperty({ type: Number, nullable: true }) lurkers: number | null;
  @ApiProperty({ type: Number, nullable: true }) inactive: number | null;
  @ApiProperty({ type: Number, nullable: true }) lurkerShare: number | null;
  @ApiProperty({ type: Number, nullable: true }) superusers: number | null;
  @ApiProperty({ type: Number, nullable: true }) contributors: number | null;
  @ApiProperty({ type: ContributionsDto }) contributions: ContributionsDto;
  @ApiProperty({ type: ReadsDto }) reads: ReadsDto;
  @ApiProperty({ type: Number, nullable: true }) reactions: number | null;
  @ApiProperty({ type: Number, nullable: true }) gini: number | null;
  @ApiProperty({ type: Number, nullable: true }) top1Share: number | null;
  @ApiProperty({ type: Number, nullable: true }) top10Share: number | null;
  @ApiProperty({ type: Number, nullable: true }) threadsStarted: number | null;
  @ApiProperty({ type: Number, nullable: true }) threadsAnswered: number | null;
  @ApiProperty({ type: Number, nullable: true }) medianHoursToFirstReply: number | null;
  @ApiProperty({ type: NewcomersDto }) newcomers: NewcomersDto;
  @ApiProperty({ type: Number, nullable: true }) delurked: number | null;
  @ApiProperty({ type: [RetentionWeekDto] }) weeklyRetention: RetentionWeekDto[];
}

class MetricsWindowDto {
  @ApiProperty({ enum: ['fixed', 'rolling_12_weeks'] }) kind: string;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
}

export class StudyMetricsDto {
  @ApiProperty({ format: 'uuid' }) studyId: string;
  @ApiProperty({ type: MetricsWindowDto }) window: MetricsWindowDto;
  @ApiProperty() kAnonymity: number;
  @ApiProperty() posterMinContributions: number;
  @ApiProperty({ type: [GroupMetricsDto] }) groups: GroupMetricsDto[];
}
