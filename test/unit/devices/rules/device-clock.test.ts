/** The device-clock rule, on a fake clock: every time is passed in. */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../../main/platform/clock';
import {
  clockOffsetWords,
  durationWords,
  judgeDeviceTime,
} from '../../../../main/devices/rules/device-clock';

const MIN = 60_000;
const TOLERANCE = 5 * MIN;

describe('device clock rule', () => {
  const clock = manualClock(new Date('2026-12-01T11:00:00Z'));
  const connectedAt = clock.now();
  clock.advance(10 * MIN); // the connection has been up for ten minutes
  const now = clock.now();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const base = {
    receivedAt: now,
    connectedAt,
    stored: false,
    knownOffsetMs: undefined,
    toleranceMs: TOLERANCE,
  };

  it('believes a live device time within the tolerance, either way', () => {
    for (const off of [-4 * MIN, 0, 4 * MIN]) {
      const t = new Date(now.getTime() + off);
      const judged = judgeDeviceTime({ ...base, deviceTime: t });
      expect(judged.origin).toBe('live');
      // Never later than it reached us.
      expect(judged.measuredAt.getTime()).toBe(Math.min(t.getTime(), now.getTime()));
      expect(judged.note).toBeUndefined();
      expect(judged.clockOffsetMs).toBeUndefined();
    }
  });

  it.each([
    [-6 * MIN, 'Device clock is 6 minutes behind — time of receipt used'],
    [6 * MIN, 'Device clock is 6 minutes ahead — time of receipt used'],
    [-(547 * 24 * 60 * MIN), 'Device clock is 1 year 6 months behind — time of receipt used'],
  ])('files a live reading from a clock %i ms off at its time of receipt, and says so', (off, note) => {
    const judged = judgeDeviceTime({ ...base, deviceTime: new Date(now.getTime() + off) });
    expect(judged).toEqual({ origin: 'live', measuredAt: now, clockOffsetMs: off, note });
  });

  it('the tolerance is the policy’s: 10 minutes believes a clock 6 minutes behind', () => {
    const judged = judgeDeviceTime({ ...base, toleranceMs: 10 * MIN, deviceTime: ago(6 * MIN) });
    expect(judged).toEqual({ origin: 'live', measuredAt: ago(6 * MIN) });
  });

  it('a backlog sent as the device connects goes to its memory, with its own time', () => {
    const yesterday = new Date(connectedAt.getTime() - 24 * 60 * MIN);
    const judged = judgeDeviceTime({
      ...base,
      receivedAt: new Date(connectedAt.getTime() + 500),
      deviceTime: yesterday,
    });
    expect(judged).toEqual({ origin: 'memory', measuredAt: yesterday });
    // The same time stamp arriving long after the connection is a live reading from a wrong clock.
    expect(judgeDeviceTime({ ...base, deviceTime: yesterday }).origin).toBe('live');
  });

  it('a stored record (RACP) is always from memory, whatever its time', () => {
    expect(judgeDeviceTime({ ...base, stored: true, deviceTime: ago(MIN) })).toEqual({
      origin: 'memory',
      measuredAt: ago(MIN),
    });
    expect(judgeDeviceTime({ ...base, stored: true, deviceTime: undefined }).origin).toBe('memory');
  });

  it('with the device clock read at connection, its times are put on ours', () => {
    const behind = -2 * 60 * MIN; // the device clock is two hours behind, read from Current Time
    // Measured now by the device's clock (two hours ago on its face): live, at receipt, with the offset.
    const live = judgeDeviceTime({
      ...base,
      knownOffsetMs: behind,
      deviceTime: new Date(now.getTime() + behind),
    });
    expect(live).toMatchObject({ origin: 'live', measuredAt: now, clockOffsetMs: behind });
    // Measured an hour before the connection by its corrected clock: from memory, time corrected.
    const stored = new Date(connectedAt.getTime() - 60 * MIN + behind);
    const memory = judgeDeviceTime({ ...base, knownOffsetMs: behind, deviceTime: stored });
    expect(memory).toMatchObject({
      origin: 'memory',
      measuredAt: new Date(connectedAt.getTime() - 60 * MIN),
      clockOffsetMs: behind,
    });
    expect(memory.note).toBe('Device clock is 2 hours behind — time corrected');
  });

  it('no device time: live at the time of receipt', () => {
    expect(judgeDeviceTime({ ...base, deviceTime: undefined })).toEqual({ origin: 'live', measuredAt: now });
  });
});

describe('clock offsets in words', () => {
  it.each([
    [30_000, '1 minute'],
    [12 * MIN, '12 minutes'],
    [60 * MIN, '1 hour'],
    [105 * MIN, '1 hour 45 minutes'],
    [26 * 60 * MIN, '1 day 2 hours'],
    [45 * 24 * 60 * MIN, '1 month 15 days'],
    [365 * 24 * 60 * MIN, '1 year'],
    [2 * 365.25 * 24 * 60 * MIN, '2 years'],
  ])('%i ms → %s', (ms, words) => {
    expect(durationWords(ms)).toBe(words);
  });

  it('says which way', () => {
    expect(clockOffsetWords(-3 * 60 * MIN)).toBe('3 hours behind');
    expect(clockOffsetWords(3 * 60 * MIN)).toBe('3 hours ahead');
  });
});
