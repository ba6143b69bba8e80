export interface NpmCommand {
  command: string;
  args: string[];
  options: { shell?: boolean };
}
export function npmCommand(
  args: string[],
  host: { platform: string; execPath: string; env: Record<string, string | undefined> },
): NpmCommand;
export function npmCommandHere(args: string[]): NpmCommand;
