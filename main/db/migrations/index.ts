/**
 * Every schema migration, in order. To add one: create `NNN-<what>.ts` exporting a Migration whose
 * version is NNN, and append it here (numbers in your reserved range, see ./types).
 */
import { patientsMigration } from './001-patients';
import type { Migration } from './types';

export type { Migration };

export const migrations: Migration[] = [patientsMigration];
