import { describe, expect, it } from 'vitest';
import {
  CONSCIOUSNESS_LEVELS,
  NEWS2_BAND_RESPONSES,
  NEWS2_PARAMETERS,
  computeNews2,
  describeMissing,
  type News2Input,
} from '../../../shared/clinical/news2';

// The words the nurse reads under the score (RCP NEWS2 table 1 / chart 3 clinical response), and
// which parameters the score panel says are still missing.

const COMPLETE: News2Input = {
  respiratoryRate: 16,
  spo2: 97,
  onOxygen: false,
  systolic: 124,
  pulse: 72,
  consciousness: 'alert',
  temperature: 36.8,
};

describe('NEWS2 responses shown to the nurse', () => {
  it('words the clinical response of each risk band', () => {
    expect(NEWS2_BAND_RESPONSES).toEqual({
      low: 'Low clinical risk: ward-based response',
      'low-medium': 'Low–medium clinical risk (a score of 3 in one parameter): urgent ward-based response',
      medium: 'Medium clinical risk: key threshold for urgent response',
      high: 'High clinical risk: urgent or emergency response',
    });
  });

  it('a patient on a shift: the response rises with the score and a single 3', () => {
    const band = (input: News2Input): string => {
      const r = computeNews2(input);
      if (!r.complete) throw new Error('expected a complete score');
      return NEWS2_BAND_RESPONSES[r.band];
    };
    expect(band(COMPLETE)).toBe('Low clinical risk: ward-based response');
    // Pulse 38: a single parameter scoring 3.
    expect(band({ ...COMPLETE, pulse: 38 })).toMatch(
      /^Low–medium clinical risk .*urgent ward-based response$/,
    );
    // Respiration 22 (2), SpO2 94 (1), on oxygen (2): aggregate 5.
    expect(band({ ...COMPLETE, respiratoryRate: 22, spo2: 94, onOxygen: true })).toBe(
      'Medium clinical risk: key threshold for urgent response',
    );
    // ... and responds only to voice (3): aggregate 8.
    expect(band({ ...COMPLETE, respiratoryRate: 22, spo2: 94, onOxygen: true, consciousness: 'V' })).toBe(
      'High clinical risk: urgent or emergency response',
    );
  });

  it('names each missing parameter, in the chart order, and scores nothing it was not given', () => {
    expect(CONSCIOUSNESS_LEVELS).toEqual(['alert', 'confusion', 'voice', 'pain', 'unresponsive']);
    for (const parameter of NEWS2_PARAMETERS) {
      const input: News2Input = { ...COMPLETE };
      const field = (
        {
          respiratoryRate: 'respiratoryRate',
          spo2: 'spo2',
          airOrOxygen: 'onOxygen',
          systolic: 'systolic',
          pulse: 'pulse',
          consciousness: 'consciousness',
          temperature: 'temperature',
        } as const
      )[parameter];
      delete input[field];
      const r = computeNews2(input);
      expect(r.complete).toBe(false);
      if (r.complete) continue;
      expect(r.missing).toEqual([parameter]);
    }
    expect(describeMissing(NEWS2_PARAMETERS)).toBe(
      'NEWS2 needs every parameter. Missing: respiration rate, oxygen saturation, air or oxygen, ' +
        'systolic blood pressure, pulse, consciousness, temperature.',
    );
    // A value that is not a number (a cleared field, a device's NaN) is missing, never scored.
    const notANumber = computeNews2({
      ...COMPLETE,
      pulse: Number.NaN,
      temperature: Number.POSITIVE_INFINITY,
    });
    expect(notANumber.complete).toBe(false);
    if (!notANumber.complete) expect(notANumber.missing).toEqual(['pulse', 'temperature']);
    expect(notANumber.scores).not.toHaveProperty('pulse');
    const nothing = computeNews2({});
    expect(nothing).toEqual({ complete: false, scores: {}, missing: NEWS2_PARAMETERS, spo2Scale: 1 });
  });

  it('scale 2: a saturation waits for "air or oxygen" before it is scored, and is not itself missing', () => {
    const waiting = computeNews2({ spo2: 96, spo2Scale: 2 });
    expect(waiting.scores).toEqual({});
    expect(waiting.complete).toBe(false);
    if (!waiting.complete) expect(waiting.missing).not.toContain('spo2');
    // On oxygen at 96 % on scale 2 scores 2 (above target); on air it scores 0.
    expect(computeNews2({ spo2: 96, spo2Scale: 2, onOxygen: true }).scores).toEqual({
      spo2: 2,
      airOrOxygen: 2,
    });
    expect(computeNews2({ spo2: 96, spo2Scale: 2, onOxygen: false }).scores).toEqual({
      spo2: 0,
      airOrOxygen: 0,
    });
    // Scale 1 scores a saturation on its own.
    expect(computeNews2({ spo2: 91 }).scores).toEqual({ spo2: 3 });
  });
});
