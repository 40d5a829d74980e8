// Waiting-room display math.
import type { QueueStatus } from '../api/models';

/** Progress in [0, 1]: how much of the line ahead at join time has gone through. */
export function queueProgress(status: Pick<QueueStatus, 'ahead' | 'status'>, aheadAtJoin: number): number {
  if (status.status === 'admitted') return 1;
  if (aheadAtJoin <= 0) return status.ahead <= 0 ? 1 : 0;
  return Math.min(1, Math.max(0, 1 - status.ahead / aheadAtJoin));
}
