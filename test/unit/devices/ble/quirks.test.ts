/**
 * The per-model quirk table, on real captures.
 *
 * Source of every frame below: four Blood Pressure Measurement values recorded from a Beurer BM85,
 * published in derdilla/blood-pressure-monitor-fl, app/test/features/bluetooth/logic/characteristics/
 * ble_measurement_data_test.dart (tests "decodes beurer sample data", "… of the second user",
 * "… of the second user with a high pulse", "decodes the beurer status byte"; pull requests #735 and
 * #737, "Recorded from a Beurer BM85"). Quoted exactly as published (decimal bytes). Flags 86 = 0x56:
 * time stamp, pulse rate and status present, user ID absent; yet 19 bytes arrive, one more than those
 * flags need, and the pulse (0, 63) and status (0, 4) are most significant byte first.
 *
 * No capture of the BM85's Device Information was found; Beurer's own firmware names the maker
 * "beurer" or "Beurer GmbH" and the model by its product name ("BM57", "BF600"), which is what the
 * table is keyed on, ignoring case and punctuation.
 */
import { describe, expect, it } from 'vitest';
import { bleDriverFor } from '../../../../main/devices/ble/drivers';
import {
  applyBloodPressureQuirks,
  MODEL_QUIRKS,
  quirksFor,
  quirkWords,
} from '../../../../main/devices/ble/quirks';
import { parseBloodPressureMeasurement } from '../../../../main/devices/ble/profiles/blood-pressure';
import { expectOk } from './table';

const BM85_USER_0 = Uint8Array.of(86, 106, 0, 71, 0, 0, 0, 234, 7, 8, 11, 18, 31, 0, 0, 63, 0, 0, 0);
const BM85_USER_1 = Uint8Array.of(86, 113, 0, 73, 0, 0, 0, 234, 7, 8, 11, 20, 56, 0, 0, 65, 1, 0, 0);
const BM85_USER_1_HIGH_PULSE = Uint8Array.of(
  86,
  119,
  0,
  70,
  0,
  0,
  0,
  234,
  7,
  8,
  11,
  20,
  57,
  0,
  0,
  87,
  1,
  0,
  64,
);
const BM85_IRREGULAR = Uint8Array.of(86, 118, 0, 80, 0, 0, 0, 234, 7, 8, 11, 20, 27, 0, 0, 60, 0, 0, 4);

const cuff = bleDriverFor('ble.blood-pressure')!.measurements[0]!;
const bm85 = quirksFor({ manufacturer: 'Beurer GmbH', model: 'BM85' });
const MAP_NOTE = 'The cuff’s mean arterial pressure was not usable and is left out';

const shown = (bytes: Uint8Array, withQuirks = true) => {
  const r = expectOk(cuff.toValues(bytes, withQuirks && bm85 ? { quirks: bm85 } : {}));
  return {
    values: Object.fromEntries(r.values.map((v) => [v.kind, v.value])),
    notes: r.notes,
    userId: r.userId,
    measuredAt: r.measuredAt,
  };
};

describe('which models have quirks', () => {
  it('finds the Beurer BM85 however its Device Information writes maker and model', () => {
    for (const [manufacturer, model] of [
      ['Beurer GmbH', 'BM85'],
      ['beurer', 'BM85'],
      ['BEURER', 'BM 85'],
      ['Beurer GmbH', 'bm-85'],
    ] as const)
      expect(quirksFor({ manufacturer, model })?.label, `${manufacturer} / ${model}`).toBe('Beurer BM85');
  });

  it('leaves every other model, and a device that does not say, to the standard parser', () => {
    expect(quirksFor({ manufacturer: 'Beurer GmbH', model: 'BM57' })).toBeUndefined();
    expect(quirksFor({ manufacturer: 'Beurer GmbH', model: 'BM851' })).toBeUndefined();
    expect(quirksFor({ manufacturer: 'OMRON Healthcare', model: 'BM85' })).toBeUndefined();
    expect(quirksFor({ manufacturer: 'Beurer GmbH' })).toBeUndefined();
    expect(quirksFor({ model: 'BM85' })).toBeUndefined();
    expect(quirksFor({})).toBeUndefined();
  });

  it('every listed model has at least one quirk, and the details say each with the model', () => {
    for (const q of MODEL_QUIRKS) expect(q.bloodPressure.length).toBeGreaterThan(0);
    expect(quirkWords(bm85!)).toEqual([
      'User byte without its flag (Beurer BM85)',
      'Pulse rate in reversed byte order (Beurer BM85)',
      'Measurement status in reversed byte order (Beurer BM85)',
    ]);
  });
});

describe('Beurer BM85 captures', () => {
  it('without the quirks the standard parser reads the pulse as 0x3F00 and refuses the reading', () => {
    const r = cuff.toValues(BM85_USER_0, {});
    expect(r.ok).toBe(false);
  });

  it('first user: 106/71, pulse 63, user 0, the MAP of 0 left out, measured 11 Aug 2026 18:31', () => {
    expect(shown(BM85_USER_0)).toEqual({
      values: { systolic: 106, diastolic: 71, heartRate: 63 },
      notes: [MAP_NOTE],
      userId: 0,
      measuredAt: new Date(2026, 7, 11, 18, 31, 0),
    });
  });

  it('second user: 113/73, pulse 65, user 1', () => {
    const r = shown(BM85_USER_1);
    expect(r.values).toEqual({ systolic: 113, diastolic: 73, heartRate: 65 });
    expect(r.userId).toBe(1);
    expect(r.measuredAt).toEqual(new Date(2026, 7, 11, 20, 56, 0));
  });

  it('second user, pulse 87: the status 0x0040 is a reserved bit and says nothing', () => {
    const r = shown(BM85_USER_1_HIGH_PULSE);
    expect(r.values).toEqual({ systolic: 119, diastolic: 70, heartRate: 87 });
    expect(r.notes).toEqual([MAP_NOTE]);
  });

  it('the irregular pulse the cuff flagged (status 0x0004, sent 00 04) is noted, nothing else', () => {
    const r = shown(BM85_IRREGULAR);
    expect(r.values).toEqual({ systolic: 118, diastolic: 80, heartRate: 60 });
    expect(r.notes).toEqual([MAP_NOTE, 'Irregular pulse detected']);
  });

  it('rewrites the frame into the specification’s layout: user flag set, pulse and status swapped', () => {
    const fixed = applyBloodPressureQuirks(BM85_IRREGULAR, bm85!.bloodPressure);
    expect([...fixed]).toEqual([0x5e, 118, 0, 80, 0, 0, 0, 234, 7, 8, 11, 20, 27, 0, 60, 0, 0, 4, 0]);
    // The capture itself is not changed.
    expect(BM85_IRREGULAR[0]).toBe(86);
    const m = expectOk(parseBloodPressureMeasurement(fixed));
    expect(m.userId).toBe(0);
    expect(m.status?.irregularPulse).toBe(true);
  });
});

describe('quirks apply only where the frame shows them', () => {
  it('a frame that already flags its user byte (a fixed firmware) keeps its own layout for the user', () => {
    // The first capture as a conforming cuff would send it: flag bit 3 set, pulse and status still swapped.
    const flagged = Uint8Array.from(BM85_USER_0);
    flagged[0] = 86 | 0x08;
    const r = shown(flagged);
    expect(r.values).toEqual({ systolic: 106, diastolic: 71, heartRate: 63 });
    expect(r.userId).toBe(0);
  });

  it('a frame without the extra byte is not given a user', () => {
    const withoutUser = BM85_USER_0.subarray(0, 16).slice();
    const withoutStatus = Uint8Array.from(withoutUser);
    withoutStatus[0] = 86 & ~0x10; // time stamp and pulse only: exactly 16 bytes
    const r = shown(withoutStatus);
    expect(r.userId).toBeUndefined();
    expect(r.values.heartRate).toBe(63);
  });

  it('a frame two bytes longer than its flags is not taken to carry a user byte', () => {
    const longer = Uint8Array.of(...BM85_USER_1, 0x00);
    expect(applyBloodPressureQuirks(longer, bm85!.bloodPressure)[0]).toBe(86);
    expect(shown(longer).userId).toBeUndefined();
  });

  it('each quirk is undone only when listed', () => {
    const only = (q: 'user-byte-without-flag' | 'big-endian-pulse' | 'big-endian-status') => [
      ...applyBloodPressureQuirks(BM85_IRREGULAR, [q]),
    ];
    const bytes = [...BM85_IRREGULAR];
    expect(only('user-byte-without-flag')).toEqual([0x5e, ...bytes.slice(1)]);
    expect(only('big-endian-pulse')).toEqual([...bytes.slice(0, 14), 60, 0, ...bytes.slice(16)]);
    // Without the user flag the status is read right after the pulse: bytes 16–17 are swapped.
    expect(only('big-endian-status')).toEqual([...bytes.slice(0, 16), 0, 0, 4]);
  });

  it('a frame without a pulse rate has none swapped; its user byte and status are still put right', () => {
    // The irregular-pulse capture without its pulse: flags 0x52 (time stamp, status), user byte, status 00 04.
    const noPulse = Uint8Array.of(0x52, ...BM85_IRREGULAR.subarray(1, 14), ...BM85_IRREGULAR.subarray(16));
    expect([...applyBloodPressureQuirks(noPulse, bm85!.bloodPressure)]).toEqual([
      0x5a,
      ...BM85_IRREGULAR.subarray(1, 14),
      0,
      4,
      0,
    ]);
    const r = shown(noPulse);
    expect(r.values).toEqual({ systolic: 118, diastolic: 80 });
    expect(r.userId).toBe(0);
    expect(r.notes).toEqual([MAP_NOTE, 'Irregular pulse detected']);
  });

  it('a frame too short for its flags is left for the parser to refuse', () => {
    // Cut after the pulse: the pulse is there but the status the flags announce is not; nothing is swapped.
    const cut = BM85_USER_0.subarray(0, 16);
    expect(applyBloodPressureQuirks(cut, bm85!.bloodPressure)).toEqual(cut);
    const short = BM85_USER_0.subarray(0, 12);
    expect(applyBloodPressureQuirks(short, bm85!.bloodPressure)).toEqual(short);
    expect(cuff.toValues(short, { quirks: bm85! })).toMatchObject({
      ok: false,
      error: { code: 'TRUNCATED' },
    });
  });

  it('no quirks: the very same bytes go to the parser', () => {
    expect(applyBloodPressureQuirks(BM85_USER_0, undefined)).toBe(BM85_USER_0);
    expect(applyBloodPressureQuirks(BM85_USER_0, [])).toBe(BM85_USER_0);
  });
});

describe('quirks on arbitrary bytes', () => {
  it('never throw, never change a frame’s length, and what they let through is plausible', () => {
    // A fixed-seed generator (xorshift32): the same 50 000 frames every run.
    let seed = 0x85;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) & 0xff;
    };
    for (let i = 0; i < 50_000; i++) {
      const bytes = Uint8Array.from({ length: next() % 24 }, next);
      const fixed = applyBloodPressureQuirks(bytes, bm85!.bloodPressure);
      expect(fixed.length).toBe(bytes.length);
      const r = cuff.toValues(bytes, { quirks: bm85! });
      if (r.ok) {
        const sys = r.value.values.find((v) => v.kind === 'systolic')!.value;
        const dia = r.value.values.find((v) => v.kind === 'diastolic')!.value;
        expect(dia).toBeLessThan(sys);
      }
    }
  });
});
