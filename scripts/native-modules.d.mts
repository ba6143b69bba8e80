export const ELECTRON_REBUILD_MODULES: readonly string[];
export function addonKind(bytes: Buffer): 'napi' | 'abi' | 'none';
export function productionPackageDirs(root: string): Map<string, string>;
export function abiBoundModules(root: string): { name: string; dir: string; files: string[] }[];
export function keepNodeBuilds(root: string): { files: string[]; restore(): void };
