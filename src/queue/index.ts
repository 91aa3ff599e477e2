// Public surface of the render queue. The PostgreSQL side (pg-boss) lives in ./postgres.ts and
// ./worker.ts and is imported only where PostgreSQL is used, so the embedded server never loads it.
export {
  QueueFullError,
  isFinished,
  retryAfterFor,
  type RenderJobInput,
  type RenderJobState,
  type RenderJobStatus,
  type RenderQueue,
  type RenderResult,
} from './types.ts';
export { createInProcessQueue, type InProcessQueueOptions } from './in-process.ts';
export { describeRenderError, renderPayload, type RenderPayload } from './render-job.ts';
