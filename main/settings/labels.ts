/** Each setting in the words the Settings screen uses, for error sentences written in main. */
import type { SettingKey } from '../../shared/ipc/channels/settings';

export const SETTING_LABELS: { [K in SettingKey]: string } = {
  clinicName: 'Clinic name',
  workstationName: 'Workstation name',
  fhirBaseUrl: 'FHIR server address',
  requireTwoFactor: 'Two-step sign-in required',
  idleLockMinutes: 'Lock after idle (minutes)',
  reauthTwoFactorAfterMinutes: 'Ask for the second step again after (minutes)',
  updatesEnabled: 'Automatic updates',
  updateChannel: 'Update channel',
  updateFeedUrl: 'Update server address',
  temperatureUnit: 'Temperature unit',
  weightUnit: 'Weight unit',
};
