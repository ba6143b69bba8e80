/**
 * How main gets a file the nurse chooses: the renderer has no Node and never names a path itself. The
 * Electron shell shows the system's open-file dialog; the Chromium host and tests give a stand-in.
 */
export interface HomeFilePicker {
  /** The chosen file's absolute path, or null when the nurse closed the dialog. */
  pick(): Promise<string | null>;
}

/** No dialog on this host: choosing a file says so. */
export const noFilePicker: HomeFilePicker = {
  pick: () => Promise.resolve(null),
};
