import { AppException, type FieldError, type ProblemSpec } from '@kinship/common';

export enum ChatErrorCode {
  MessageNotFound = 'message-not-found',
  ClientMsgIdReused = 'client-msg-id-reused',
  Flooding = 'chat-flood',
  NotSubscribed = 'not-subscribed',
  ShuttingDown = 'shutting-down',
}

const CHAT_PROBLEMS: Record<ChatErrorCode, ProblemSpec> = {
  [ChatErrorCode.MessageNotFound]: { status: 404, title: 'Message not found' },
  [ChatErrorCode.ClientMsgIdReused]: {
    status: 409,
    title: 'This clientMsgId was used for another group',
  },
  [ChatErrorCode.Flooding]: { status: 429, title: 'You are sending too fast' },
  [ChatErrorCode.NotSubscribed]: { status: 409, title: 'Subscribe to the group first' },
  [ChatErrorCode.ShuttingDown]: { status: 503, title: 'The server is restarting; send again' },
};

export class ChatException extends AppException {
  constructor(
    code: ChatErrorCode,
    detail?: string,
    errors?: FieldError[],
    extensions?: Record<string, unknown>,
  ) {
    super(code, CHAT_PROBLEMS[code], detail, errors, extensions);
  }
}
