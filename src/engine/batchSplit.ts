/**
 * A batch too big for one main-thread task, cut into batches of at most `limit` readings, in order.
 *
 * The page applies each batch it receives in one task (about 0.5 µs a reading). A worker that was kept
 * off a core for a while (two shared cores, a busy machine) takes everything that queued meanwhile
 * in one flush: batches of 15,000 readings were measured at 115,000 readings/s, 7-8 ms of the main
 * thread's CPU in one task before any wait for a core. Posted as several messages, each is a task of
 * its own, and a frame or an operator's click can run between them.
 */
import { SAMPLE_STRIDE, type TelemetryBatch } from './protocol';

/**
 * At most this many readings in one posted batch: about 2 ms of the page's time at the measured
 * 0.5 µs a reading, and above what one frame carries at 115,000 readings/s (~1,900).
 */
export const MAX_POSTED_READINGS = 4096;

/**
 * The batch as one or more batches of at most `limit` readings, the readings in the same order.
 * Kind changes go with the first part (before the values they describe are shown), the texts with
 * the last (they are the newest per signal). The last part keeps the original buffer (moved to its
 * start), so the transferred and recycled buffer is the same as without a split; earlier parts are
 * copies. A batch within the limit is returned as it is.
 */
export function splitBatch(batch: TelemetryBatch, limit = MAX_POSTED_READINGS): TelemetryBatch[] {
  const n = batch.count;
  const per = Math.max(1, Math.floor(limit));
  if (n <= per) return [batch];
  const s = batch.samples;
  const parts: TelemetryBatch[] = [];
  let start = 0;
  for (; n - start > per; start += per) {
    parts.push({ type: 'batch', samples: s.slice(start * SAMPLE_STRIDE, (start + per) * SAMPLE_STRIDE), count: per });
  }
  if (batch.kinds) parts[0].kinds = batch.kinds;
  const rest = n - start;
  const whole = new Float64Array(s.buffer, s.byteOffset, s.length);
  whole.copyWithin(0, start * SAMPLE_STRIDE, n * SAMPLE_STRIDE);
  const last: TelemetryBatch = { type: 'batch', samples: whole.subarray(0, rest * SAMPLE_STRIDE), count: rest };
  if (batch.texts) last.texts = batch.texts;
  parts.push(last);
  return parts;
}
