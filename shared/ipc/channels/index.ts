/**
 * The whole IPC contract. To add a channel: declare it in the file of its area
 * (or a new `<area>.ts` beside this one), spread that area's object in here,
 * and implement it in main (the type of `Handlers` then requires it).
 */
import { appChannels, appEvents } from './app';
import { auditChannels } from './audit';
import { authChannels, authEvents } from './auth';
import { usersChannels } from './users';
import { settingsChannels } from './settings';
import { devicesChannels, devicesEvents } from './devices';

export const channels = {
  ...appChannels,
  ...authChannels,
  ...usersChannels,
  ...auditChannels,
  ...settingsChannels,
  ...devicesChannels,
} as const;

export const events = {
  ...appEvents,
  ...authEvents,
  ...devicesEvents,
} as const;
