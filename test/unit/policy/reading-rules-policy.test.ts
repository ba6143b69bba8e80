/** The policy fields for device readings: the clock tolerance, setting clocks, freshness windows. */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../main/policy/load';

describe('device reading policy', () => {
  it('applies and locks good values', () => {
    const result = parsePolicy(
      JSON.stringify({
        deviceClockToleranceMinutes: 10,
        setDeviceClockOnConnect: true,
        readingFreshSpotCheckSeconds: 60,
        readingFreshStreamingSeconds: 3,
      }),
    );
    expect(result.problems).toEqual([]);
    expect(result.policy).toMatchObject({
      deviceClockToleranceMinutes: 10,
      setDeviceClockOnConnect: true,
      readingFreshSpotCheckSeconds: 60,
      readingFreshStreamingSeconds: 3,
    });
    expect(result.lockedFields).toEqual(
      expect.arrayContaining([
        'deviceClockToleranceMinutes',
        'setDeviceClockOnConnect',
        'readingFreshSpotCheckSeconds',
        'readingFreshStreamingSeconds',
      ]),
    );
  });

  it('names a bad value and leaves the built-in rule in place (never an unlimited window)', () => {
    const result = parsePolicy(
      JSON.stringify({
        readingFreshStreamingSeconds: 3600,
        deviceClockToleranceMinutes: 0,
        setDeviceClockOnConnect: 'yes',
      }),
    );
    expect(result.problems.map((p) => p.field).sort()).toEqual([
      'deviceClockToleranceMinutes',
      'readingFreshStreamingSeconds',
      'setDeviceClockOnConnect',
    ]);
    expect(result.policy.readingFreshStreamingSeconds).toBeUndefined();
    expect(result.policy.deviceClockToleranceMinutes).toBeUndefined();
    expect(result.policy.setDeviceClockOnConnect).toBeUndefined();
  });
});
