/**
 * Changes saved in one transaction with their audit record: if the record cannot be written, the change
 * is rolled back and refused, so nothing stays saved without its record. These channels' handlers are
 * synchronous database work; a channel that also changes state outside the database (a device's held
 * reading, a key rotation) is not listed, because a rollback could not undo that part.
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
  'reviews.signOff',
]);

export const AUDIT_NOT_RECORDED_CHANGE =
  'This change could not be written to the audit trail, so it was not saved. Nothing else was changed; please call IT support.';
