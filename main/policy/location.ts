/**
 * Where IT puts the machine-wide policy file on each OS. A pure function of the platform and the
 * environment, so every OS's path can be tested on any machine.
 */
import path from 'node:path';

export type PolicyPlatform = 'win32' | 'darwin' | 'linux';

/** Environment variables the path depends on (Windows only). */
export interface PolicyEnvironment {
  ProgramData?: string;
  PROGRAMDATA?: string;
  SystemDrive?: string;
}

export function policyFilePath(platform: NodeJS.Platform, env: PolicyEnvironment = {}): string {
  switch (platform) {
    case 'win32': {
      // %ProgramData% is machine-wide and writable only by administrators by default.
      const programData =
        env.ProgramData ?? env.PROGRAMDATA ?? `${env.SystemDrive ?? 'C:'}${path.win32.sep}ProgramData`;
      return path.win32.join(programData, 'VitalsDesk', 'policy.json');
    }
    case 'darwin':
      return path.posix.join('/Library', 'Application Support', 'VitalsDesk', 'policy.json');
    default:
      // Linux and other Unix-likes: configuration managed by the administrator lives in /etc.
      return path.posix.join('/etc', 'vitals-desk', 'policy.json');
  }
}
