import { useCallback, useEffect, useState } from 'react';
import type { RequestOf } from '../../../../shared/ipc';
import type { SettingsView } from '../../../../shared/ipc/channels/settings';
import { IpcError } from '../../../../shared/ipc/errors';
import { useClient } from '../../ipc/ClientContext';

export interface SaveResult {
  ok: boolean;
  message: string;
  /** Per-setting messages from main, keyed by setting. */
  fieldErrors: Record<string, string>;
}

/** The settings in effect (with IT locks and policy problems), and a save that reports refusals in words. */
export function useSettings(): {
  view: SettingsView | null;
  error: string | null;
  save(changes: RequestOf<'settings.update'>): Promise<SaveResult>;
} {
  const client = useClient();
  const [view, setView] = useState<SettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client
      .invoke('settings.get', {})
      .then((v) => live && setView(v))
      .catch(
        (e: unknown) => live && setError(e instanceof Error ? e.message : 'The settings could not be read.'),
      );
    return () => {
      live = false;
    };
  }, [client]);

  const save = useCallback(
    async (changes: RequestOf<'settings.update'>): Promise<SaveResult> => {
      try {
        setView(await client.invoke('settings.update', changes));
        return { ok: true, message: 'Settings saved.', fieldErrors: {} };
      } catch (e) {
        if (e instanceof IpcError) {
          const fieldErrors = Object.fromEntries(
            (e.issues ?? []).map((i) => [i.path.split('.')[0] ?? i.path, i.message]),
          );
          return { ok: false, message: e.message, fieldErrors };
        }
        return {
          ok: false,
          message: 'The settings could not be saved. Nothing was changed.',
          fieldErrors: {},
        };
      }
    },
    [client],
  );

  return { view, error, save };
}
