/** Settings in a JSON file: the Chromium host and the tests. Written atomically, readable only by the user. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UserSettings } from '../../shared/ipc/channels/settings';
import { sanitizeStoredSettings, type SettingsStore } from './store';

export function jsonFileSettingsStore(file: string): SettingsStore {
  return {
    read() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw error;
      }
      try {
        return sanitizeStoredSettings(JSON.parse(text));
      } catch {
        // A damaged settings file must not stop the workstation: defaults apply until the next save.
        return {};
      }
    },
    write(values: Partial<UserSettings>) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // Write then rename, so a crash mid-write leaves the old file, not half a new one.
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, file);
    },
  };
}
