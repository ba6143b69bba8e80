/**
 * The whole IPC contract. To add a channel: declare it in the file of its area
 * (or a new `<area>.ts` beside this one), spread that area's object in here,
 * and implement it in main (the type of `Handlers` then requires it).
 */
import { appChannels, appEvents } from './app';
import { patientChannels, patientEvents } from './patients';
import { encounterChannels } from './encounters';
import { observationChannels, observationEvents } from './observations';
import { databaseChannels } from './database';
import { auditChannels } from './audit';
import { authChannels, authEvents } from './auth';
import { usersChannels } from './users';
import { settingsChannels } from './settings';
import { devicesChannels, devicesEvents } from './devices';
import { reviewChannels } from './reviews';
import { syncChannels, syncEvents } from './sync';
import { homeDataChannels, homeDataEvents } from './home-data';

export const channels = {
  ...appChannels,
  ...patientChannels,
  ...encounterChannels,
  ...observationChannels,
  ...databaseChannels,
  ...authChannels,
  ...usersChannels,
  ...auditChannels,
  ...settingsChannels,
  ...devicesChannels,
  ...reviewChannels,
  ...syncChannels,
  ...homeDataChannels,
} as const;

export const events = {
  ...appEvents,
  ...patientEvents,
  ...observationEvents,
  ...authEvents,
  ...devicesEvents,
  ...syncEvents,
  ...homeDataEvents,
} as const;
