import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../main/logging/logger';
import { REDACTED, redactingLogger } from '../../../main/logging/redact';

describe('log redactor', () => {
  it('passes allow-listed code-like fields and blanks every other field', () => {
    const inner = memoryLogger();
    const log = redactingLogger(inner);
    log.info('patients.registered', {
      channel: 'patients.create',
      role: 'nurse',
      count: 3,
      twoFactor: true,
      name: 'Jane Doe',
      mrn: 'MRN-0012345',
      systolic: 182,
      birthDate: '1960-02-03',
    });
    expect(inner.records[0]).toEqual({
      level: 'info',
      event: 'patients.registered',
      fields: {
        channel: 'patients.create',
        role: 'nurse',
        count: 3,
        twoFactor: true,
        name: REDACTED,
        mrn: REDACTED,
        systolic: REDACTED,
        birthDate: REDACTED,
      },
    });
  });

  it('keeps only the class of an error, and refuses free text under a safe key', () => {
    const inner = memoryLogger();
    const log = redactingLogger(inner);
    log.error('ipc.handler_failed', {
      error: 'TypeError: Cannot read properties of patient Jane Doe',
      reason: 'Jane Doe asked',
      issues: ['name:too_small', 'note: Jane was dizzy'],
    });
    expect(inner.records[0]?.fields).toEqual({
      error: 'TypeError',
      reason: REDACTED,
      issues: ['name:too_small', REDACTED],
    });
  });

  it('replaces an event name that is not a fixed identifier', () => {
    const inner = memoryLogger();
    redactingLogger(inner).warn('Saved vitals for Jane Doe');
    expect(inner.records[0]?.event).toBe('log.invalid_event_name');
  });
});
