export function missingElectronMessage(options: { version: string; reason?: string }): string;
export function withoutBuildDir(moduleDir: string): (src: string) => boolean;
export function rebuildForElectron(
  module: { name: string; dir: string; files: string[] },
  electronVersion: string,
  options?: {
    cacheRoot?: string;
    rebuild?: (options: {
      buildPath: string;
      electronVersion: string;
      onlyModules: string[];
      force: boolean;
    }) => Promise<void>;
  },
): Promise<Record<string, string>>;
