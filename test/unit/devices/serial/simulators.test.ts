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
  it.each(['nonin-8', 'nonin-2'])(
    '%s: normal gives a reading per record/packet, nothing refused',
    (device) => {
      const r = run(device, 'normal', 12);
      expect(r.measurements).toHaveLength(12);
      expect(r.problems).toEqual([]);
    },
  );

  it('nonin-2 streams 25 pleth samples per packet', () => {
    expect(run('nonin-2', 'normal', 9).samples).toBe(225);
  });

  it.each(['nonin-8', 'nonin-2'])('%s: out-of-range and sensor-off give no readings', (device) => {
    const outOfRange = run(device, 'out-of-range', 8);
    expect(outOfRange.measurements).toEqual([]);
    expect(new Set(outOfRange.problems)).toEqual(new Set(['OUT_OF_RANGE']));
    const off = run(device, 'sensor-off', 8);
    expect(off.measurements).toEqual([]);
    expect(off.problems.length).toBeGreaterThan(0);
  });

  it.each(['nonin-8', 'nonin-2'])('%s: low-battery turns the battery flag on', (device) => {
    expect(run(device, 'low-battery', 8).battery.map((b) => b.type === 'battery' && b.low)).toEqual([
      false,
      true,
    ]);
  });

  it.each(['nonin-8', 'nonin-2', 'and-scale'])(
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
