/** What an intake card says about a device's live value, on a fake clock (numbers, not the wall clock). */
import { describe, expect, it } from 'vitest';
import type { DeviceReading } from '../../../shared/devices/reading';
import {
  agoText,
  isHeld,
  liveStateOf,
  notAcceptableText,
} from '../../../renderer/src/screens/intake/live-reading-state';

const t0 = Date.parse('2026-12-01T11:00:00Z');
const reading = (extra: Partial<DeviceReading> = {}): DeviceReading => ({
  readingId: 'r1',
  provenance: { deviceId: 'cuff', transport: 'ble', driver: 'ble.blood-pressure' },
  measuredAt: new Date(t0).toISOString(),
  receivedAt: new Date(t0).toISOString(),
  values: [{ kind: 'systolic', value: 120, unit: 'mm[Hg]' }],
  notes: [],
  acceptableUntil: new Date(t0 + 30_000).toISOString(),
  ...extra,
});
const connected = new Set(['cuff']);

describe('a live value on its card', () => {
  it('fresh until its window ends, then too old; at once not acceptable when its device is gone', () => {
    expect(liveStateOf(reading(), { connected, now: t0 + 30_000, matches: [] })).toBe('fresh');
    expect(liveStateOf(reading(), { connected, now: t0 + 30_001, matches: [] })).toBe('stale');
    expect(liveStateOf(reading(), { connected: new Set(), now: t0, matches: [] })).toBe('disconnected');
  });

  it('a value from before its device went away stays unacceptable after it is back', () => {
    const ended = new Set(['r1']);
    expect(liveStateOf(reading(), { connected, ended, now: t0, matches: [] })).toBe('disconnected');
    expect(notAcceptableText('disconnected', reading(), 'Desk cuff', t0 + 20_000, true)).toBe(
      'Last from Desk cuff 20 s ago, before it disconnected — take a new reading',
    );
  });

  it('held while a shared device names a user not matched to this patient', () => {
    const shared = reading({ deviceUser: 2 });
    expect(isHeld(shared, [])).toBe(true);
    expect(isHeld(shared, [{ deviceId: 'cuff', deviceUser: 3 }])).toBe(true);
    expect(isHeld(shared, [{ deviceId: 'scale', deviceUser: 2 }])).toBe(true);
    expect(liveStateOf(shared, { connected, now: t0, matches: [{ deviceId: 'cuff', deviceUser: 2 }] })).toBe(
      'fresh',
    );
    expect(liveStateOf(shared, { connected, now: t0, matches: [] })).toBe('held');
  });

  it('says why, in the nurse’s words', () => {
    expect(notAcceptableText('disconnected', reading(), 'Desk oximeter', t0 + 120_000)).toBe(
      'Last from Desk oximeter 2 min ago — disconnected',
    );
    expect(notAcceptableText('stale', reading(), 'Desk cuff', t0 + 45_000)).toBe(
      'Last from Desk cuff 45 s ago — too old to accept; take a new reading',
    );
    expect(notAcceptableText('held', reading({ deviceUser: 2 }), 'Desk cuff', t0)).toBe(
      'Reading from user 2 of Desk cuff — whose is it?',
    );
    expect(agoText(new Date(t0).toISOString(), t0 + 2 * 60 * 60_000)).toBe('2 h ago');
  });
});
