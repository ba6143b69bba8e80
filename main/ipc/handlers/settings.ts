import type { settingsChannels } from '../../../shared/ipc/channels/settings';
import { AppError } from '../../../shared/ipc/errors';
import type { AuditActor, AuditRecorder } from '../../audit/recorder';
import type { SettingsService } from '../../settings/service';
import type { Handlers } from '../dispatcher';

export function createSettingsHandlers(deps: {
  settings: SettingsService;
  /** Changes to workstation settings (two-step sign-in, idle lock, sync, updates) are security events. */
  audit?: AuditRecorder;
  actorOf?: (senderId: string) => AuditActor;
}): Pick<Handlers, keyof typeof settingsChannels> {
  return {
    'settings.get': () => deps.settings.view(),
    'settings.update': (changes, context) => {
      // The detail is the setting names only (codes), never the values.
      const keys = Object.entries(changes)
        .filter(([, value]) => value !== undefined)
        .map(([key]) => key)
        .sort()
        .join(',');
      const record = (outcome: 'success' | 'denied' | 'failure', detail: string) =>
        deps.audit?.record({
          actor: deps.actorOf?.(context.senderId) ?? { userId: null, role: null },
          action: 'settings.update',
          outcome,
          resourceType: 'settings',
          detail,
        });
      try {
        const view = deps.settings.update(changes);
        record('success', keys);
        return view;
      } catch (error) {
        const denied = error instanceof AppError && error.code === 'FORBIDDEN';
        record(denied ? 'denied' : 'failure', denied ? `locked:${keys}` : keys);
        throw error;
      }
    },
  };
}
