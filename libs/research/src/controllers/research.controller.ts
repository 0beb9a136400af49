import { Body, Controller, Get, Param, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto, UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser } from '@kinship/identity';
import { ExportDto } from '../dto/export.dto';
import { PendingSurveyPageDto, SurveyResponseDto, SurveyResponseInputDto } from '../dto/survey.dto';
import { ExportService } from '../services/export.service';
import { SurveyService } from '../services/survey.service';

const NOT_OWNER = 'Not the owner of the study (admins and members included), or no such export.';

@ApiTags('research')
@ApiBearerAuth()
@Controller()
export class ResearchController {
  constructor(
    private readonly surveys: SurveyService,
    private readonly exportService: ExportService,
  ) {}

  @Get('me/surveys')
  @ApiOkResponse({
    type: PendingSurveyPageDto,
    description:
      'Surveys of open studies the caller consented to and has not answered, oldest first.',
  })
  pendingSurveys(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
  ): Promise<PendingSurveyPageDto> {
    return this.surveys.pending(user, query);
  }

  @Post('research/surveys/:surveyId/responses')
  @ApiCreatedResponse({ type: SurveyResponseDto })
  @ApiForbiddenResponse({ description: 'Not (or no longer) consented to the study.' })
  @ApiNotFoundResponse({ description: 'No such survey, or its study is not visible.' })
  @ApiConflictResponse({ description: 'Already answered, or the study is not open.' })
  respond(
    @CurrentUser() user: AuthUser,
    @UuidParam('surveyId') surveyId: string,
    @Body() body: SurveyResponseInputDto,
  ): Promise<SurveyResponseDto> {
    return this.surveys.respond(user, surveyId, body.answers);
  }

  @Get('research/exports/:exportId')
  @ApiOkResponse({ type: ExportDto })
  @ApiNotFoundResponse({ description: NOT_OWNER })
  @ApiGoneResponse({ description: 'Expired (EXPORT_TTL_HOURS after it finished).' })
  getExport(
    @CurrentUser() user: AuthUser,
    @UuidParam('exportId') exportId: string,
  ): Promise<ExportDto> {
    return this.exportService.get(user, exportId);
  }

  @Get('research/exports/:exportId/files/:name')
  @ApiProduces('text/csv', 'application/x-ndjson', 'application/json')
  @ApiOkResponse({ description: 'The file, streamed.' })
  @ApiNotFoundResponse({ description: NOT_OWNER })
  @ApiConflictResponse({ description: 'Not ready yet.' })
  @ApiGoneResponse({ description: 'Expired.' })
  async file(
    @CurrentUser() user: AuthUser,
    @UuidParam('exportId') exportId: string,
    @Param('name') name: string,
  ): Promise<StreamableFile> {
    const file = await this.exportService.file(user, exportId, name);
    return new StreamableFile(file.stream, {
      type: file.type,
      length: file.bytes,
      disposition: `attachment; filename="${file.name}"`,
    });
  }
}
