import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { learningApi } from '../../api/endpoints';
import type { LessonContent, ProgressResult } from '../../api/types';
import { useI18n } from '../../i18n/I18nContext';
import { PLAYBACK_RATES, playerKeyAction } from '../../learning/playerKeys';
import { HEARTBEAT_INTERVAL_MS, refreshDelay, WatchTracker } from '../../learning/watchTracker';

const REFRESH_RETRY_MS = 10_000;

/**
 * The video lesson player: resumes at the saved position, reports progress
 * (every 5 s while playing and on pause/ended/tab hidden/leaving), refreshes
 * the signed URL before it expires without losing the position, and handles
 * the keyboard shortcuts.
 */
export function VideoLesson({
  lesson,
  trackProgress,
  onProgress,
}: {
  lesson: LessonContent & { video: NonNullable<LessonContent['video']> };
  /** Only signed-in learners report progress (an anonymous free preview just plays). */
  trackProgress: boolean;
  onProgress?: (result: ProgressResult) => void;
}) {
  const { t } = useI18n();
  const speedId = `speed${useId().replace(/[^\w-]/g, '')}`;
  const lessonId = lesson.id;
  const initial = lesson.progress ?? { position_seconds: 0, watched_seconds: 0, completed: false };
  const duration = lesson.video.duration_seconds ?? lesson.duration_seconds ?? null;

  const videoRef = useRef<HTMLVideoElement>(null);
  const trackerRef = useRef<WatchTracker | null>(null);
  if (trackerRef.current === null) {
    trackerRef.current = new WatchTracker(initial.watched_seconds, initial.position_seconds, duration);
  }
  const tracker = trackerRef.current;
  const [source, setSource] = useState({ url: lesson.video.playback_url, expiresAt: lesson.video.expires_at });
  const [rate, setRate] = useState(1);
  const [playing, setPlaying] = useState(false);
  // Where to put the playhead once metadata is loaded (first load: the saved position).
  const pendingSeek = useRef<{ time: number; play: boolean } | null>(
    initial.position_seconds > 0 ? { time: initial.position_seconds, play: false } : null,
  );
  const lastSent = useRef(JSON.stringify(tracker.payload()));
  const onProgressRef = useRef(onProgress);
  onProgressRef.current = onProgress;
  const lastRefresh = useRef(0);

  const send = useCallback(
    ({ force = false, keepalive = false }: { force?: boolean; keepalive?: boolean } = {}) => {
      if (!trackProgress) return;
      const body = tracker.payload();
      const key = JSON.stringify(body);
      if (!force && key === lastSent.current) return;
      lastSent.current = key;
      learningApi
        .saveProgress(lessonId, body, keepalive)
        .then((result) => {
          if (result) onProgressRef.current?.(result);
        })
        .catch(() => {
          // Try again with the next heartbeat.
          lastSent.current = '';
        });
    },
    [lessonId, trackProgress, tracker],
  );
  const sendRef = useRef(send);
  sendRef.current = send;

  // Heartbeat while playing.
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => sendRef.current(), HEARTBEAT_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [playing]);

  // Tab hidden, and leaving the lesson.
  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') sendRef.current({ keepalive: true });
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      sendRef.current({ keepalive: true });
    };
  }, []);

  const refreshSource = useCallback(async (): Promise<boolean> => {
    lastRefresh.current = Date.now();
    try {
      const fresh = await learningApi.lesson(lessonId);
      if (!fresh.video) return false;
      const video = videoRef.current;
      // Keep the playhead (and playing state) across the swap; before metadata the pending resume stays.
      if (video && video.readyState >= 1) pendingSeek.current = { time: video.currentTime, play: !video.paused };
      setSource({ url: fresh.video.playback_url, expiresAt: fresh.video.expires_at });
      return true;
    } catch {
      return false;
    }
  }, [lessonId]);

  // Swap the signed URL shortly before it expires.
  useEffect(() => {
    const delay = refreshDelay(source.expiresAt);
    if (delay === null) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout>;
    const run = async () => {
      const ok = await refreshSource();
      if (active && !ok) timer = setTimeout(run, REFRESH_RETRY_MS);
    };
    timer = setTimeout(run, delay);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [source.expiresAt, refreshSource]);

  // Keyboard shortcuts (ignored while typing in a form field).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = playerKeyAction(event);
      const video = videoRef.current;
      if (!action || !video) return;
      event.preventDefault();
      switch (action.type) {
        case 'toggle':
          if (video.paused) void video.play()?.catch(() => undefined);
          else video.pause();
          break;
        case 'seek': {
          const end = Number.isFinite(video.duration) && video.duration > 0 ? video.duration : Number.POSITIVE_INFINITY;
          video.currentTime = Math.max(0, Math.min(end, video.currentTime + action.delta));
          break;
        }
        case 'fullscreen':
          if (document.fullscreenElement) void document.exitFullscreen?.()?.catch(() => undefined);
          else void video.requestFullscreen?.()?.catch(() => undefined);
          break;
        case 'mute':
          video.muted = !video.muted;
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onLoadedMetadata = () => {
    const video = videoRef.current;
    if (!video) return;
    video.defaultPlaybackRate = rate;
    video.playbackRate = rate;
    const pending = pendingSeek.current;
    pendingSeek.current = null;
    if (pending && pending.time > 0) {
      const end = Number.isFinite(video.duration) && video.duration > 0 ? video.duration : null;
      // A finished video starts again from the beginning rather than at its last frame.
      const target = end !== null && pending.time >= end - 1 ? 0 : pending.time;
      video.currentTime = target;
      tracker.seek(target);
    } else {
      tracker.seek(video.currentTime);
    }
    if (pending?.play) void video.play()?.catch(() => undefined);
  };

  const onRateSelect = (value: number) => {
    setRate(value);
    const video = videoRef.current;
    if (video) {
      video.defaultPlaybackRate = value;
      video.playbackRate = value;
    }
  };

  const onError = () => {
    // An expired signature shows up as a load error: fetch a fresh URL (at most every 10 s).
    if (Date.now() - lastRefresh.current > REFRESH_RETRY_MS) void refreshSource();
  };

  return (
    <div className="player">
      <video
        ref={videoRef}
        data-testid="lesson-video"
        className="player-video"
        src={source.url}
        controls
        preload="metadata"
        playsInline
        aria-label={lesson.title}
        onLoadedMetadata={onLoadedMetadata}
        onTimeUpdate={(e) => tracker.timeUpdate(e.currentTarget.currentTime, e.currentTarget.playbackRate)}
        onSeeking={(e) => tracker.seek(e.currentTarget.currentTime)}
        onSeeked={(e) => tracker.seek(e.currentTarget.currentTime)}
        onPlay={() => setPlaying(true)}
        onPause={() => {
          setPlaying(false);
          send();
        }}
        onEnded={() => {
          setPlaying(false);
          send({ force: true });
        }}
        onRateChange={(e) => {
          const value = e.currentTarget.playbackRate;
          if (value > 0 && value !== rate) setRate(value);
        }}
        onError={onError}
      >
        {t('lesson.videoUnsupported')}
      </video>
      <div className="player-bar">
        <div className="field field-inline player-speed">
          <label htmlFor={speedId}>{t('lesson.speed')}</label>
          <select id={speedId} value={String(rate)} onChange={(e) => onRateSelect(Number(e.target.value))}>
            {(PLAYBACK_RATES as readonly number[]).includes(rate) ? null : <option value={String(rate)}>{rate}×</option>}
            {PLAYBACK_RATES.map((value) => (
              <option key={value} value={String(value)}>
                {value}×
              </option>
            ))}
          </select>
        </div>
        <p className="player-help muted">{t('lesson.shortcuts')}</p>
      </div>
    </div>
  );
}
