/**
 * Seeds a value measured by a device into a test core's chart, as if it had been accepted from the
 * device: written through the observation repository on the core's own database and announced like an
 * accepted reading. The IPC refuses device provenance sent in (only devices.accept files a device's
 * reading), so scenarios that need a device value from an earlier visit, or from a device this test
 * does not simulate, seed it here.
 */
import type { Core } from '../../main/core';
import { observationRepository } from '../../main/db/repositories/observations';
import type { NewObservation, Observation } from '../../shared/records';

/** Files `observation` (method `device`, with its device) as recorded by the user signed in at `senderId`. */
export async function seedDeviceValue(
  core: Core,
  senderId: string,
  observation: Omit<NewObservation, 'method'> & { device: NonNullable<NewObservation['device']> },
): Promise<Observation> {
  if (!core.db) throw new Error('the test core has no open database');
  const status = await core.invoke('auth.status', {}, { senderId });
  const userId = status.ok ? (status.value as { user?: { id: string } | null }).user?.id : undefined;
  if (!userId) throw new Error(`no user is signed in at ${senderId}`);
  const filed = observationRepository(core.db, core.clock).recordObservation(
    { ...observation, method: 'device' },
    userId,
  );
  core.events.emit('observations.recorded', { patientId: filed.patientId, observation: filed });
  return filed;
}
