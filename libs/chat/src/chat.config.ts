import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { validateEnv } from '@kinship/common';

class ChatEnv {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  CHAT_MESSAGES_PER_SECOND?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  CHAT_BURST?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1_048_576)
  CHAT_MAX_PAYLOAD_BYTES?: number;
}

export interface ChatConfig {
  /** Per socket: sustained sends a second, and how many may come at once. */
  messagesPerSecond: number;
  burst: number;
  /** socket.io's maxHttpBufferSize: larger packets close the connection. */
  maxPayloadBytes: number;
}

export const chatConfig = registerAs('chat', (): ChatConfig => {
  const env = validateEnv(ChatEnv);
  return {
    messagesPerSecond: env.CHAT_MESSAGES_PER_SECOND ?? 5,
    burst: env.CHAT_BURST ?? 20,
    maxPayloadBytes: env.CHAT_MAX_PAYLOAD_BYTES ?? 16_384,
  };
});
