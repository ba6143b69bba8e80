export type Target = 'mac' | 'win' | 'linux';
export interface Requirement {
  what: string;
  anyOf: string[][];
}
export const SIGNING_REQUIREMENTS: Record<Target, Requirement[]>;
export const OS_NAMES: Record<Target, string>;
export function missingSigning(
  target: Target,
  env: Record<string, string | undefined>,
): { what: string; variables: string[]; alternatives: string[][] }[];
export function electronBuilderArgs(options: {
  targets: Target[];
  release: boolean;
  env: Record<string, string | undefined>;
  outputDir?: string;
}): string[];
