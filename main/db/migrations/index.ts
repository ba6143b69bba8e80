/**
 * Every schema migration, in order. To add one: create `NNN-<what>.ts` exporting a Migration whose
 * version is NNN, and append it here (numbers in your reserved range, see ./types).
 */
import { patientsMigration } from './001-patients';
import { encountersMigration } from './002-encounters';
import { observationsMigration } from './003-observations';
import { devicesMigration } from './004-devices';
import { reviewsMigration } from './005-reviews';
import { observationLatestIndexMigration } from './006-observation-latest-index';
import { patientCorrectionsMigration } from './007-patient-corrections';
import { observationDeviceNotesMigration } from './008-observation-device-notes';
import { encounterFinishedByMigration } from './009-encounter-finished-by';
import { appendOnlyNoReplaceMigration } from './010-append-only-no-replace';
import { observationReadingIdMigration } from './011-observation-reading-id';
import { usersMigration } from './020-users';
import { auditLogMigration } from './021-audit-log';
import { passwordChangeRequiredMigration } from './022-password-change-required';
import { auditNoReplaceMigration } from './023-audit-no-replace';
import { auditHeadMigration } from './024-audit-head';
import { credentialsVersionMigration } from './025-credentials-version';
import { syncOutboxMigration } from './030-sync-outbox';
import { syncEncountersMigration } from './031-sync-encounters';
import { syncPatientsMigration } from './032-sync-patients';
import { workstationSettingsMigration } from './040-workstation-settings';
import { homeObservationsMigration } from './050-home-observations';
import { homeTotalVersionsMigration } from './051-home-total-versions';
import { homeEcgsMigration } from './055-home-ecgs';
import { homeIdentityHashMigration } from './056-home-identity-hash';
import type { Migration } from './types';

export type { Migration };

export const migrations: Migration[] = [
  patientsMigration,
  encountersMigration,
  observationsMigration,
  devicesMigration,
  reviewsMigration,
  observationLatestIndexMigration,
  patientCorrectionsMigration,
  observationDeviceNotesMigration,
  encounterFinishedByMigration,
  appendOnlyNoReplaceMigration,
  observationReadingIdMigration,
  usersMigration,
  auditLogMigration,
  passwordChangeRequiredMigration,
  auditNoReplaceMigration,
  auditHeadMigration,
  credentialsVersionMigration,
  syncOutboxMigration,
  syncEncountersMigration,
  syncPatientsMigration,
  workstationSettingsMigration,
  homeObservationsMigration,
  homeTotalVersionsMigration,
  homeEcgsMigration,
  homeIdentityHashMigration,
];
