/**
 * Changes saved in one transaction with their audit record: if the record cannot be written, the change
 * is rolled back and refused, so nothing stays saved without its record. These channels' handlers are
 * synchronous database work; what they change outside the database (a device reading taken off the
 * desk, a shared device's user matched to the patient, the windows told of a new value) waits until the
 * change and its record are saved (see CallContext.afterSaved). A channel whose change outside the
 * database comes first (a key rotation, a device pairing) is not listed, because a rollback could not
 * undo it: the dispatcher undoes it instead (CallContext.undoIfUnrecorded).
 */
import type { ChannelName } from '../../shared/ipc';

export const ATOMIC_AUDITED_WRITES: ReadonlySet<ChannelName> = new Set<ChannelName>([
  'patients.register',
  'patients.correct',
  'encounters.start',
  'encounters.finish',
  'encounters.setVideoLink',
  'observations.record',
  'observations.amend',
  'observations.enterInError',
  'devices.accept',
  'devices.fileHeldReading',
  'reviews.signOff',
]);

export const AUDIT_NOT_RECORDED_CHANGE =
  'This change could not be written to the audit trail, so it was not saved. Nothing else was changed; please call IT support.';
