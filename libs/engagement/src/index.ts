export * from './engagement.module';
export * from './engagement.recorder';
export * from './engagement-event.entity';
export * from './engagement-event.reader';
export * from './engagement.exception';
export * from './engagement.config';
export * from './metrics/metrics.types';
export { EngagementMetrics } from './metrics/engagement-metrics.service';
export type { MetricsReadOptions } from './metrics/engagement-metrics.repository';
export {
  EngagementRollup,
  type RollupPass,
  type Watermark,
} from './rollup/engagement-rollup.service';
export { EngagementRollupModule } from './rollup/engagement-rollup.module';
