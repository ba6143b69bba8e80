import type { Dialog } from 'electron';
import type { HomeFilePicker } from '../import/file-picker';

/** The system's open-file dialog, for the patient's home-data export (main reads the file, never the renderer). */
export function electronHomeFilePicker(dialog: Pick<Dialog, 'showOpenDialog'>): HomeFilePicker {
  return {
    async pick() {
      const choice = await dialog.showOpenDialog({
        title: 'Choose the patient’s home-data export',
        properties: ['openFile'],
        filters: [
          { name: 'Health exports', extensions: ['zip', 'xml', 'csv', 'txt', 'json', 'ndjson'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      return choice.canceled ? null : (choice.filePaths[0] ?? null);
    },
  };
}
