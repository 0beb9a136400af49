import { Body, Controller, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@kinship/identity';
import { CreateReportDto, QueueItemDto } from '../dto/queue.dto';
import { ReportService } from '../services/report.service';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportService) {}

  @Post()
  @ApiCreatedResponse({ type: QueueItemDto, description: "Sent to the group's moderators." })
  @ApiNotFoundResponse({ description: 'Unknown target, or not visible to the reporter.' })
  @ApiConflictResponse({ description: 'The caller has an open report of this target already.' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateReportDto): Promise<QueueItemDto> {
    return this.reports.create(user, body);
  }
}
