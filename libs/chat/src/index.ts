export * from './chat.module';
export * from './chat.config';
export * from './chat.exception';
export * from './realtime/chat.events';
export { ChatBroadcaster } from './realtime/chat.broadcaster';
export { ChatIoAdapter, type ChatIoOptions } from './realtime/chat-io.adapter';
export { ChatMessageEntity, type ChatMessageStatus } from './entities/chat-message.entity';
export { ChatReadCursorEntity } from './entities/chat-read-cursor.entity';
