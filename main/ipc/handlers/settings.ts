import type { settingsChannels } from '../../../shared/ipc/channels/settings';
import { AppError } from '../../../shared/ipc/errors';
import type { AuditActor, AuditRecorder } from '../../audit/recorder';
import type { SettingChange, SettingsService } from '../../settings/service';
import type { UserUnitStore } from '../../settings/user-units';
import { ChangeNotRecordedError, type Handlers } from '../dispatcher';

/** `key:old->new` for each change: settings hold no PHI, and the record must show what it was before. */
export function describeSettingChanges(changes: readonly SettingChange[]): string {
  return changes.map((c) => `${c.key}:${JSON.stringify(c.from)}->${JSON.stringify(c.to)}`).join(' ');
}

export function createSettingsHandlers(deps: {
  settings: SettingsService;
  /** Changes to workstation settings (two-step sign-in, idle lock, sync, updates) are security events. */
  audit?: AuditRecorder;
  actorOf?: (senderId: string) => AuditActor;
  /** Each user's own units, or undefined while the encrypted database is not open. */
  userUnits?: () => UserUnitStore | undefined;
  clock?: { now(): Date };
}): Pick<Handlers, keyof typeof settingsChannels> {
  const unitsOf = (senderId: string) => {
    const userId = deps.actorOf?.(senderId).userId;
    const store = deps.userUnits?.();
    if (!userId) throw new AppError('NOT_SIGNED_IN', 'Sign in first.');
    if (!store) throw new AppError('UNAVAILABLE', 'Your units are kept in the database, which is not open.');
    return { userId, store };
  };
  return {
    'settings.myUnits': (_request, context) => {
      const { userId, store } = unitsOf(context.senderId);
      return store.read(userId);
    },
    'settings.setMyUnits': (units, context) => {
      const { userId, store } = unitsOf(context.senderId);
      const at = (deps.clock ?? { now: () => new Date() }).now().toISOString();
      return store.write(userId, units, at);
    },
    'settings.get': () => deps.settings.view(),
    'settings.update': (changes, context) => {
      const actor = deps.actorOf?.(context.senderId) ?? { userId: null, role: null };
      const record = (outcome: 'success' | 'denied' | 'failure', detail: string) =>
        deps.audit?.record({ actor, action: 'settings.update', outcome, resourceType: 'settings', detail });
      let saved: ReturnType<SettingsService['update']>;
      try {
        saved = deps.settings.update(changes, actor.userId);
      } catch (error) {
        // A refused change names what was asked for, from what it is now.
        const current = deps.settings.effective();
        const asked = (Object.keys(changes) as (keyof typeof changes)[])
          .filter((key) => changes[key] !== undefined)
          .sort()
          .map((key) => ({ key, from: current[key].value, to: changes[key] }));
        const denied =
          error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'VALIDATION');
        record(denied ? 'denied' : 'failure', describeSettingChanges(asked));
        throw error;
      }
      const { view, changed, restore } = saved;
      if (changed.length > 0 && deps.audit) {
        // A change stays only with its record (old and new value): otherwise the dispatcher puts back
        // what was stored before, and the administrator is told nothing was changed.
        if (context.undoIfUnrecorded) context.undoIfUnrecorded(restore);
        if (!record('success', describeSettingChanges(changed))) {
          if (!context.undoIfUnrecorded) restore();
          throw new ChangeNotRecordedError();
        }
      }
      return view;
    },
  };
}
