export function missingElectronMessage(options: { version: string; reason?: string }): string;
export function withoutBuildDir(moduleDir: string): (src: string) => boolean;
