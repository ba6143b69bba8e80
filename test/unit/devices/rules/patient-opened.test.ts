import { describe, expect, it } from 'vitest';
import { judgePatientOpened } from '../../../../main/devices/rules/patient-opened';

const opened = new Date('2026-03-02T09:15:00.000Z');
const at = (ms: number) => new Date(opened.getTime() + ms);

describe('a live value and the patient the desk shows', () => {
  it('is refused when it came before the patient was opened, even by a millisecond', () => {
    expect(judgePatientOpened({ receivedAt: at(-1), patientShownSince: opened })).toEqual({
      acceptable: false,
      reason: 'before-opened',
    });
    expect(judgePatientOpened({ receivedAt: at(-25_000), patientShownSince: opened }).acceptable).toBe(false);
  });

  it('is taken when it came as the patient was opened or after', () => {
    expect(judgePatientOpened({ receivedAt: at(0), patientShownSince: opened })).toEqual({
      acceptable: true,
    });
    expect(judgePatientOpened({ receivedAt: at(4_000), patientShownSince: opened })).toEqual({
      acceptable: true,
    });
  });

  it('leaves the decision to the other rules when what the window shows is not known', () => {
    expect(judgePatientOpened({ receivedAt: at(-60_000), patientShownSince: undefined })).toEqual({
      acceptable: true,
    });
  });
});
