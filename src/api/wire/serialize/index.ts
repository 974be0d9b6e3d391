/** Records → TaskRouter's snake_case JSON, every field twilio-node reads, URLs absolute on the public URL. */
export { v1Url, workspaceUrl, type WireContext } from './context.js';
export { serializeActivity } from './activity.js';
export { serializeEvent } from './event.js';
export { serializeReservation, type ReservationPath } from './reservation.js';
export { serializeTask } from './task.js';
export { serializeTaskChannel } from './task-channel.js';
export { serializeTaskQueue } from './task-queue.js';
export { serializeWorker } from './worker.js';
export { serializeWorkerChannel } from './worker-channel.js';
export { serializeWorkflow } from './workflow.js';
export { serializeWorkspace } from './workspace.js';
