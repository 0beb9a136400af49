/** Where export requests go to be built: BullMQ with REDIS_URL, the api process otherwise. */
export interface ExportJobQueue {
  enqueue(exportId: string): Promise<void>;
}

export const EXPORT_JOB_QUEUE = Symbol('EXPORT_JOB_QUEUE');
export const EXPORT_QUEUE_NAME = 'research-exports';

/** BullMQ keys live under the deployment's Redis prefix. */
export const bullPrefix = (redisKeyPrefix: string) => `${redisKeyPrefix}:bull`;
