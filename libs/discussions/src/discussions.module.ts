import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@kinship/common';
import { CommunitiesModule } from '@kinship/communities';
import { IdentityModule } from '@kinship/identity';
import { ModerationModule } from '@kinship/moderation';
import { PostsController } from './controllers/posts.controller';
import { ReactionsController } from './controllers/reactions.controller';
import { ThreadsController } from './controllers/threads.controller';
import { PostEditEntity } from './entities/post-edit.entity';
import { PostEntity } from './entities/post.entity';
import { ReactionEntity } from './entities/reaction.entity';
import { ThreadEntity } from './entities/thread.entity';
import { DiscussionsPersonalDataRepository } from './repositories/discussions-personal-data.repository';
import { PostEditRepository } from './repositories/post-edit.repository';
import { PostRepository } from './repositories/post.repository';
import { ReactionRepository } from './repositories/reaction.repository';
import { ThreadRepository } from './repositories/thread.repository';
import { AuthorDirectory } from './services/author-directory';
import { DiscussionAccess } from './services/discussion-access';
import {
  PostModerationSource,
  ThreadModerationSource,
} from './services/discussions-moderation.source';
import {
  PostPersonalData,
  ReactionPersonalData,
  ThreadPersonalData,
} from './services/discussions-personal-data.source';
import { MarkdownRenderer } from './services/markdown.renderer';
import { PostService } from './services/post.service';
import { ReactionService } from './services/reaction.service';
import { ThreadService } from './services/thread.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ThreadEntity, PostEntity, PostEditEntity, ReactionEntity]),
    IdentityModule,
    CommunitiesModule,
    ModerationModule,
  ],
  controllers: [ThreadsController, PostsController, ReactionsController],
  providers: [
    Clock,
    ThreadRepository,
    PostRepository,
    PostEditRepository,
    ReactionRepository,
    AuthorDirectory,
    DiscussionAccess,
    MarkdownRenderer,
    ThreadService,
    PostService,
    ReactionService,
    PostModerationSource,
    ThreadModerationSource,
    DiscussionsPersonalDataRepository,
    ThreadPersonalData,
    PostPersonalData,
    ReactionPersonalData,
  ],
  exports: [ThreadService, PostService, MarkdownRenderer],
})
export class DiscussionsModule {}
