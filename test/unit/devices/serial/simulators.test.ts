/**
 * The simulators must send what their scenario says, in the device's real format: checked by decoding
 * their bytes with the app's own drivers.
 */
import { describe, expect, it } from 'vitest';
import { serialDriverFor } from '../../../../main/devices/serial/drivers';
import type { DriverOutput } from '../../../../main/devices/serial/drivers/types';
import { SERIAL_SIMULATORS, type SerialScenario } from '../../../sim/serial/simulators';

function run(device: string, scenario: SerialScenario, ticks: number) {
  const sim = SERIAL_SIMULATORS[device]!(scenario, 7);
  const parser = serialDriverFor(sim.driver)!.createParser();
  const out: DriverOutput[] = [];
  for (let n = 0; n < ticks; n++) parser.push(sim.tick(n), (o) => out.push(o));
  return {
    measurements: out.filter((o) => o.type === 'measurement'),
    problems: out.flatMap((o) => (o.type === 'problem' ? [o.error.code] : [])),
    battery: out.filter((o) => o.type === 'battery'),
    samples: out.reduce((n, o) => n + (o.type === 'waveform' ? o.samples.length : 0), 0),
  };
}

describe('serial simulators', () => {
  it.each(['nonin-8', 'nonin-2', 'nonin-7'])(
    '%s: normal gives a reading per record/packet, nothing refused',
    (device) => {
      const r = run(device, 'normal', 12);
      expect(r.measurements).toHaveLength(12);
      expect(r.problems).toEqual([]);
    },
  );

  it.each(['nonin-2', 'nonin-7'])('%s streams 25 pleth samples per packet', (device) => {
    expect(run(device, 'normal', 9).samples).toBe(225);
  });

  it('nonin-7 colours each pulse, and the signal quality follows the colour: good, then weak, then poor', () => {
    // 4 s of each colour, 3 packets a second: green for the first 8 s, yellow, then red.
    const qualities = run('nonin-7', 'normal', 48).measurements.map(
      (m) => m.type === 'measurement' && m.signalQuality,
    );
    expect(qualities.slice(0, 24).every((q) => q === 'good')).toBe(true);
    expect(qualities.slice(25, 36).every((q) => q === 'weak')).toBe(true);
    expect(qualities.slice(37, 48).every((q) => q === 'poor')).toBe(true);
  });

  it.each(['nonin-8', 'nonin-2', 'nonin-7'])('%s: out-of-range and sensor-off give no readings', (device) => {
    const outOfRange = run(device, 'out-of-range', 8);
    expect(outOfRange.measurements).toEqual([]);
    expect(new Set(outOfRange.problems)).toEqual(new Set(['OUT_OF_RANGE']));
    const off = run(device, 'sensor-off', 8);
    expect(off.measurements).toEqual([]);
    expect(off.problems.length).toBeGreaterThan(0);
  });

  it.each(['nonin-8', 'nonin-2', 'nonin-7'])('%s: low-battery turns the battery flag on', (device) => {
    expect(run(device, 'low-battery', 8).battery.map((b) => b.type === 'battery' && b.low)).toEqual([
      false,
      true,
    ]);
  });

  it.each(['nonin-8', 'nonin-2', 'nonin-7', 'and-scale'])(
    '%s: garbage is reported, and good frames still read',
    (device) => {
      const r = run(device, 'garbage', 12);
      expect(r.problems).toContain('GARBAGE');
      expect(r.measurements.length).toBeGreaterThan(0);
    },
  );

  it('and-scale: settles (unstable, then stable) and only the stable weights are readings', () => {
    const r = run('and-scale', 'normal', 12);
    expect(r.problems.filter((p) => p === 'UNSTABLE')).toHaveLength(6);
    expect(r.measurements).toHaveLength(6);
    for (const m of r.measurements) {
      expect(m.type === 'measurement' && m.values).toEqual([{ kind: 'bodyWeight', value: 70.4, unit: 'kg' }]);
    }
    expect(run('and-scale', 'out-of-range', 4).measurements).toEqual([]);
  });
});
