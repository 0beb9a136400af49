export * from './engagement.module';
export * from './engagement.recorder';
export * from './engagement-event.entity';
