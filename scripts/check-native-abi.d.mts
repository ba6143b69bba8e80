export const RECIPES: Record<
  string,
  { sources: string[]; includes: (string | { package: string })[]; defines: string[]; platforms: string[] }
>;
export function compileArgs(options: {
  source: string;
  headersDir: string;
  includeDirs: string[];
  defines: string[];
  abi: string;
  imminent: boolean;
}): string[];
