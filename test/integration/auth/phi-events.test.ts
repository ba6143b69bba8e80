/**
 * PHI events reach only windows with a signed-in, unlocked session whose role may see them. Windows are
 * stood in for by recorders (an Electron window cannot exist here); they carry the same sender ids as
 * their calls, as the shell's windows do.
 */
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../shared/ipc';
import type { Patient } from '../../../shared/records';
import type { EventWindow } from '../../../main/ipc/event-fanout';
import { call } from '../../support/core';
import { signInAs } from '../../support/session';
import { authCore } from './helpers';

function recorder(senderId: string): EventWindow & { received: EventName[] } {
  const received: EventName[] = [];
  return { senderId, received, send: (name) => void received.push(name) };
}

describe('who receives patient events', () => {
  it('through a shift: only signed-in, unlocked clinical windows get a recorded vital', async () => {
    const { core, clock, invoke } = await authCore();
    const nurse = await signInAs(core, 'nurse', 'intake');
    await signInAs(core, 'clinician', 'review');
    await signInAs(core, 'admin', 'office');
    await signInAs(core, 'nurse', 'hallway');
    await invoke('hallway', 'auth.lock');
    await signInAs(core, 'clinician', 'left-open');
    const windows = ['intake', 'review', 'office', 'hallway', 'left-open', 'never-signed-in'].map(recorder);
    const stop = core.forwardEvents(() => windows);
    const got = (senderId: string) => windows.find((w) => w.senderId === senderId)!.received;

    // The clinician at the second screen signs out before the first patient.
    await invoke('left-open', 'auth.signOut');
    const patient = await call<Patient>(core, nurse.senderId, 'patients.register', {
      mrn: 'E-1',
      family: 'Example',
      given: 'Robin',
      birthDate: '1980-01-01',
      sex: 'unknown',
    });
    await call(core, nurse.senderId, 'observations.record', {
      patientId: patient.id,
      kind: 'heartRate',
      value: 72,
      effectiveAt: clock.now().toISOString(),
      method: 'manual',
    });

    for (const id of ['intake', 'review']) expect(got(id)).toContain('observations.recorded');
    for (const id of ['office', 'hallway', 'left-open', 'never-signed-in'])
      expect(got(id)).not.toContain('observations.recorded');
    // Everyone hears that sign-in state changed (no PHI in it).
    for (const window of windows) expect(window.received).toContain('auth.changed');

    // The review screen goes idle and locks: the next patient's vitals no longer reach it.
    clock.advance(4 * 60_000);
    await invoke('intake', 'auth.activity');
    clock.advance(2 * 60_000);
    for (const window of windows) window.received.length = 0;
    await call(core, nurse.senderId, 'observations.record', {
      patientId: patient.id,
      kind: 'respiratoryRate',
      value: 16,
      effectiveAt: clock.now().toISOString(),
      method: 'manual',
    });
    expect(got('intake')).toContain('observations.recorded');
    expect(got('review')).not.toContain('observations.recorded');
    stop();
  });

  it('device values and readings go to clinical roles only; device status goes to any signed-in role', async () => {
    const { core } = await authCore();
    await signInAs(core, 'nurse', 'intake');
    await signInAs(core, 'admin', 'office');
    const windows = ['intake', 'office', 'nobody'].map(recorder);
    const stop = core.forwardEvents(() => windows);
    core.events.emit('devices.cuffPressure', { deviceId: 'cuff-1', mmHg: 120 });
    core.events.emit('devices.bluetooth', { state: 'poweredOff', message: 'Bluetooth is off' });
    core.events.emit('app.heartbeat', { at: new Date().toISOString(), status: 'ready' });
    expect(windows[0]!.received).toEqual(['devices.cuffPressure', 'devices.bluetooth', 'app.heartbeat']);
    expect(windows[1]!.received).toEqual(['devices.bluetooth', 'app.heartbeat']);
    expect(windows[2]!.received).toEqual(['app.heartbeat']);
    stop();
  });
});
