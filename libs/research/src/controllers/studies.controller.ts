import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto, UuidParam } from '@kinship/common';
import { type AuthUser, CurrentUser, Roles } from '@kinship/identity';
import { CreateExportDto, ExportDto, ExportPageDto } from '../dto/export.dto';
import {
  ConsentInputDto,
  ConsentStateDto,
  CreateStudyDto,
  StudyDto,
  StudyListQueryDto,
  StudyPageDto,
} from '../dto/study.dto';
import { StudyMetricsDto } from '../dto/study-metrics.dto';
import { CreateSurveyDto, SurveyDto, SurveyPageDto } from '../dto/survey.dto';
import { ConsentService } from '../services/consent.service';
import { ExportService } from '../services/export.service';
import { StudyMetricsService } from '../services/study-metrics.service';
import { StudyService } from '../services/study.service';
import { SurveyService } from '../services/survey.service';

const OWNER_ONLY = 'Not the study owner (admins and members included), or no such study.';

@ApiTags('research')
@ApiBearerAuth()
@Controller('research/studies')
export class StudiesController {
  constructor(
    private readonly studies: StudyService,
    private readonly consent: ConsentService,
    private readonly surveys: SurveyService,
    private readonly exportService: ExportService,
    private readonly studyMetrics: StudyMetricsService,
  ) {}

  @Post()
  @Roles('researcher')
  @ApiCreatedResponse({ type: StudyDto, description: 'A draft, until an admin approves it.' })
  @ApiForbiddenResponse({ description: 'Not a researcher.' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateStudyDto): Promise<StudyDto> {
    return this.studies.create(user, body);
  }

  @Get()
  @ApiOkResponse({
    type: StudyPageDto,
    description:
      'Researchers: their own studies; admins: all; members: open studies of their groups.',
  })
  list(@CurrentUser() user: AuthUser, @Query() query: StudyListQueryDto): Promise<StudyPageDto> {
    return this.studies.list(user, query);
  }

  @Get(':studyId')
  @ApiOkResponse({ type: StudyDto })
  @ApiNotFoundResponse({ description: 'No such study, or not visible to the caller.' })
  get(@CurrentUser() user: AuthUser, @UuidParam('studyId') studyId: string): Promise<StudyDto> {
    return this.studies.get(user, studyId);
  }

  @Post(':studyId/approve')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: StudyDto, description: 'Open: members of its groups may consent.' })
  @ApiConflictResponse({ description: 'Not a draft.' })
  approve(@CurrentUser() user: AuthUser, @UuidParam('studyId') studyId: string): Promise<StudyDto> {
    return this.studies.approve(user, studyId);
  }

  @Post(':studyId/close')
  @HttpCode(200)
  @ApiOkResponse({ type: StudyDto, description: 'Closed: no new consent or answers.' })
  @ApiNotFoundResponse({ description: 'Not the owner or an admin, or no such study.' })
  @ApiConflictResponse({ description: 'Not open.' })
  close(@CurrentUser() user: AuthUser, @UuidParam('studyId') studyId: string): Promise<StudyDto> {
    return this.studies.close(user, studyId);
  }

  @Put(':studyId/consent')
  @ApiOkResponse({
    type: ConsentStateDto,
    description: 'Recorded with its time and the consent version; false withdraws.',
  })
  @ApiForbiddenResponse({ description: "Not an active member of the study's groups." })
  @ApiConflictResponse({ description: 'Consent to a study that is not open.' })
  setConsent(
    @CurrentUser() user: AuthUser,
    @UuidParam('studyId') studyId: string,
    @Body() body: ConsentInputDto,
  ): Promise<ConsentStateDto> {
    return this.consent.set(user, studyId, body.granted);
  }

  @Post(':studyId/surveys')
  @ApiCreatedResponse({ type: SurveyDto })
  @ApiNotFoundResponse({ description: OWNER_ONLY })
  @ApiConflictResponse({ description: 'The study is closed.' })
  createSurvey(
    @CurrentUser() user: AuthUser,
    @UuidParam('studyId') studyId: string,
    @Body() body: CreateSurveyDto,
  ): Promise<SurveyDto> {
    return this.surveys.create(user, studyId, body);
  }

  @Get(':studyId/surveys')
  @ApiOkResponse({ type: SurveyPageDto })
  @ApiNotFoundResponse({ description: OWNER_ONLY })
  listSurveys(
    @CurrentUser() user: AuthUser,
    @UuidParam('studyId') studyId: string,
    @Query() query: PageQueryDto,
  ): Promise<SurveyPageDto> {
    return this.surveys.listForStudy(user, studyId, query);
  }

  @Post(':studyId/exports')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ExportDto, description: 'Queued; poll GET /research/exports/{id}.' })
  @ApiNotFoundResponse({ description: OWNER_ONLY })
  @ApiConflictResponse({ description: 'Too many exports of the study in progress.' })
  requestExport(
    @CurrentUser() user: AuthUser,
    @UuidParam('studyId') studyId: string,
    @Body() body: CreateExportDto,
  ): Promise<ExportDto> {
    return this.exportService.request(user, studyId, body.format);
  }

  @Get(':studyId/metrics')
  @ApiOkResponse({
    type: StudyMetricsDto,
    description:
      "Group metrics (libs/engagement/METRICS.md) over the members whose consent stands, in the study's window; every people count under k is null.",
  })
  @ApiNotFoundResponse({ description: OWNER_ONLY })
  metrics(
    @CurrentUser() user: AuthUser,
    @UuidParam('studyId') studyId: string,
  ): Promise<StudyMetricsDto> {
    return this.studyMetrics.forOwner(user, studyId);
  }

  @Get(':studyId/exports')
  @ApiOkResponse({ type: ExportPageDto, description: 'Newest first, expired ones included.' })
  @ApiNotFoundResponse({ description: OWNER_ONLY })
  listExports(
    @CurrentUser() user: AuthUser,
    @UuidParam('studyId') studyId: string,
    @Query() query: PageQueryDto,
  ): Promise<ExportPageDto> {
    return this.exportService.list(user, studyId, query);
  }
}
