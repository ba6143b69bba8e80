import type { settingsChannels } from '../../../shared/ipc/channels/settings';
import type { SettingsService } from '../../settings/service';
import type { Handlers } from '../dispatcher';

export function createSettingsHandlers(deps: {
  settings: SettingsService;
}): Pick<Handlers, keyof typeof settingsChannels> {
  return {
    'settings.get': () => deps.settings.view(),
    'settings.update': (changes) => deps.settings.update(changes),
  };
}
