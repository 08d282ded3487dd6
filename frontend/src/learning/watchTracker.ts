import type { ProgressBody } from '../api/types';

/**
 * Accumulates the content seconds a learner actually played, from the
 * <video> element's `timeupdate` events.
 *
 * A step between two updates counts only when 0 < delta ≤ 2 × playbackRate
 * seconds: a backwards jump or a jump further than playback could cover
 * between two events is a seek and adds nothing. The total starts from the
 * server's `watched_seconds`, so it survives reloads.
 */
export class WatchTracker {
  private watchedTotal: number;
  private last: number | null;
  private current: number;
  private readonly duration: number;

  constructor(initialWatched = 0, initialPosition = 0, durationSeconds: number | null = null) {
    this.watchedTotal = Math.max(0, initialWatched || 0);
    this.current = Math.max(0, initialPosition || 0);
    this.last = null;
    this.duration = durationSeconds && durationSeconds > 0 ? durationSeconds : 0;
  }

  /** A `timeupdate`: counts the step since the previous one if it looks like playback. */
  timeUpdate(currentTime: number, playbackRate = 1): void {
    if (!Number.isFinite(currentTime)) return;
    if (this.last !== null) {
      const delta = currentTime - this.last;
      const rate = playbackRate > 0 && Number.isFinite(playbackRate) ? playbackRate : 1;
      if (delta > 0 && delta <= 2 * rate) this.watchedTotal += delta;
    }
    this.last = currentTime;
    this.current = currentTime;
  }

  /** A seek (or a new source/metadata): the next update starts counting from here. */
  seek(position: number): void {
    if (!Number.isFinite(position)) return;
    this.last = position;
    this.current = position;
  }

  /** Content seconds played (capped at the duration: the server rejects over-duration values). */
  get watched(): number {
    return this.duration ? Math.min(this.watchedTotal, this.duration) : this.watchedTotal;
  }

  get position(): number {
    return this.duration ? Math.min(this.current, this.duration) : this.current;
  }

  /** The heartbeat body (whole seconds). */
  payload(): ProgressBody {
    return {
      position_seconds: Math.max(0, Math.floor(this.position)),
      watched_seconds: Math.max(0, Math.floor(this.watched)),
    };
  }
}

export const HEARTBEAT_INTERVAL_MS = 5000;
/** Refetch the lesson this long before the signed playback URL expires. */
export const URL_REFRESH_LEAD_MS = 30_000;

/** Milliseconds until the signed URL should be refreshed (never negative; null for a bad date). */
export function refreshDelay(expiresAt: string, now = Date.now(), lead = URL_REFRESH_LEAD_MS): number | null {
  const expires = Date.parse(expiresAt);
  if (Number.isNaN(expires)) return null;
  return Math.max(0, expires - now - lead);
}
