import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import {
  EXPORT_FORMATS,
  EXPORT_STATUSES,
  type ExportEntity,
  type ExportFormat,
  type ExportStatus,
} from '../entities/export.entity';

export class CreateExportDto {
  @ApiProperty({ enum: EXPORT_FORMATS, description: 'Data files as CSV or NDJSON.' })
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat;
}

export class ExportFileDto {
  @ApiProperty({ example: 'events.csv' }) name: string;
  @ApiProperty({ description: 'Data rows (header excluded).' }) rows: number;
  @ApiProperty() bytes: number;
}

export class ExportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) studyId: string;
  @ApiProperty({ enum: EXPORT_FORMATS }) format: ExportFormat;
  @ApiProperty({ enum: EXPORT_STATUSES }) status: ExportStatus;
  @ApiProperty({ type: [ExportFileDto] }) files: ExportFileDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Why the build failed.' })
  error: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;

  static of(e: ExportEntity): ExportDto {
    return {
      id: e.id,
      studyId: e.studyId,
      format: e.format,
      status: e.status,
      files: e.files.map((f) => ({ name: f.name, rows: f.rows, bytes: f.bytes })),
      error: e.error,
      createdAt: e.createdAt.toISOString(),
      finishedAt: e.finishedAt?.toISOString() ?? null,
      expiresAt: e.expiresAt?.toISOString() ?? null,
    };
  }
}

export class ExportPageDto {
  @ApiProperty({ type: [ExportDto] }) items: ExportDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
