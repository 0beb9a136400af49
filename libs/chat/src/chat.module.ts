import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommunitiesModule } from '@kinship/communities';
import { IdentityModule } from '@kinship/identity';
import { ModerationModule } from '@kinship/moderation';
import { chatConfig } from './chat.config';
import { ChatController } from './chat.controller';
import { MessageModerationSource } from './chat-moderation.source';
import { ChatMessageRepository } from './chat-message.repository';
import { ChatPersonalDataRepository } from './chat-personal-data.repository';
import { ChatMessagePersonalData, ChatReadPositionPersonalData } from './chat-personal-data.source';
import { ChatService } from './chat.service';
import { ChatMessageEntity } from './entities/chat-message.entity';
import { ChatReadCursorEntity } from './entities/chat-read-cursor.entity';
import { MessageWriter } from './message-writer';
import { ChatBroadcaster } from './realtime/chat.broadcaster';
import { ChatGateway } from './realtime/chat.gateway';
import { ModerationEventsListener } from './realtime/moderation-events.listener';

@Module({
  imports: [
    ConfigModule.forFeature(chatConfig),
    TypeOrmModule.forFeature([ChatMessageEntity, ChatReadCursorEntity]),
    IdentityModule,
    CommunitiesModule,
    ModerationModule,
  ],
  controllers: [ChatController],
  providers: [
    ChatMessageRepository,
    MessageWriter,
    ChatService,
    ChatBroadcaster,
    ChatGateway,
    ModerationEventsListener,
    MessageModerationSource,
    ChatPersonalDataRepository,
    ChatMessagePersonalData,
    ChatReadPositionPersonalData,
  ],
  exports: [ChatBroadcaster],
})
export class ChatModule {}
