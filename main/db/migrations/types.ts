import type { Database } from '../connection';

/**
 * One schema change. Files are named `NNN-<what>.ts` and export a Migration with the same number.
 * Number ranges: 001–019 patient data (patients, encounters, observations, devices); 020–029 auth
 * (users, sessions, audit); 030–039 FHIR sync outbox; 040–049 workstation settings; 050–059
 * patient-generated (home) data. Never edit a released migration: add one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Runs inside a transaction opened by the runner; throw to roll it back. */
  up(db: Database): void;
}
