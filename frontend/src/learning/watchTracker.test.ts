import { describe, expect, it } from 'vitest';
import { refreshDelay, WatchTracker } from './watchTracker';

/** Simulates timeupdate events every `step` seconds of content from `from` to `to`. */
function play(tracker: WatchTracker, from: number, to: number, step = 0.25, rate = 1) {
  for (let t = from; t <= to + 1e-9; t += step) tracker.timeUpdate(Number(t.toFixed(3)), rate);
}

describe('WatchTracker (watched-seconds accumulator)', () => {
  it('starts from the server values', () => {
    const tracker = new WatchTracker(42, 100);
    expect(tracker.payload()).toEqual({ position_seconds: 100, watched_seconds: 42 });
  });

  it('counts continuous playback', () => {
    const tracker = new WatchTracker(0, 0);
    play(tracker, 0, 10);
    expect(tracker.watched).toBeCloseTo(10, 5);
    expect(tracker.payload()).toEqual({ position_seconds: 10, watched_seconds: 10 });
  });

  it('adds to the server value', () => {
    const tracker = new WatchTracker(30, 30);
    tracker.seek(30);
    play(tracker, 30, 35);
    expect(tracker.payload().watched_seconds).toBe(35);
  });

  it('does not count a forward seek', () => {
    const tracker = new WatchTracker(0, 0);
    play(tracker, 0, 5);
    tracker.timeUpdate(60); // jumped ahead without a seeking event
    play(tracker, 60.25, 62);
    expect(tracker.watched).toBeCloseTo(7, 5);
    expect(tracker.position).toBe(62);
  });

  it('does not count a backward seek, and counts replay after it', () => {
    const tracker = new WatchTracker(0, 0);
    play(tracker, 0, 10);
    tracker.seek(2);
    play(tracker, 2, 4);
    expect(tracker.watched).toBeCloseTo(12, 5);
  });

  it('ignores the first update after a seek event', () => {
    const tracker = new WatchTracker(0, 0);
    play(tracker, 0, 3);
    tracker.seek(50);
    tracker.timeUpdate(50.25);
    expect(tracker.watched).toBeCloseTo(3.25, 5);
  });

  it('respects the playback rate: steps up to 2 × rate count, longer ones are seeks', () => {
    const fast = new WatchTracker(0, 0);
    // At 2× the content advances ~0.5 s per 250 ms event and up to 4 s is plausible.
    play(fast, 0, 20, 0.5, 2);
    expect(fast.watched).toBeCloseTo(20, 5);
    fast.timeUpdate(23.5, 2); // 3.5 s ≤ 4 s: a late event, counted
    expect(fast.watched).toBeCloseTo(23.5, 5);
    fast.timeUpdate(28, 2); // 4.5 s > 4 s: a seek
    expect(fast.watched).toBeCloseTo(23.5, 5);

    const normal = new WatchTracker(0, 0);
    normal.timeUpdate(0, 1);
    normal.timeUpdate(3, 1); // 3 s > 2 s at 1×: a seek
    expect(normal.watched).toBe(0);

    const slow = new WatchTracker(0, 0);
    slow.timeUpdate(0, 0.75);
    slow.timeUpdate(1.4, 0.75); // ≤ 1.5 s
    slow.timeUpdate(3.0, 0.75); // 1.6 s > 1.5 s
    expect(slow.watched).toBeCloseTo(1.4, 5);
  });

  it('does not count a paused player (no movement)', () => {
    const tracker = new WatchTracker(5, 5);
    tracker.seek(5);
    tracker.timeUpdate(5);
    tracker.timeUpdate(5);
    expect(tracker.watched).toBe(5);
  });

  it('never reports more than the duration', () => {
    const tracker = new WatchTracker(95, 95, 100);
    tracker.seek(95);
    play(tracker, 95, 100);
    tracker.seek(0);
    play(tracker, 0, 10);
    expect(tracker.payload()).toEqual({ position_seconds: 10, watched_seconds: 100 });
  });
});

describe('refreshDelay', () => {
  it('refreshes 30 s before expiry, immediately when already late', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(refreshDelay('2030-01-01T00:05:00Z', now)).toBe(270_000);
    expect(refreshDelay('2030-01-01T00:00:10Z', now)).toBe(0);
    expect(refreshDelay('not a date', now)).toBeNull();
  });
});
