/**
 * Who can change the policy file: only administrators (root, SYSTEM, Administrators) may be able to
 * write the file or the folder it sits in, or anyone could loosen the clinic's policy (or point sync at
 * their own server). Checked at each load; a file others can write is refused, and safe defaults apply.
 *
 * - Linux and macOS: the file and its folder are owned by root and writable by nobody else (no group or
 *   other write bit).
 * - Windows: every access rule on the file and its folder that grants a write, delete or permission
 *   change belongs to SYSTEM, Administrators or TrustedInstaller (read through PowerShell's Get-Acl, by
 *   SID so a localised Windows reads the same).
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * Null when only administrators can write `file` and its folder; otherwise why not, in words for IT.
 * Synchronous: the policy is read once, before anything else starts.
 */
export type WriterCheck = (file: string) => string | null;

export function posixWriterProblem(what: string, facts: { uid: number; mode: number }): string | null {
  if (facts.uid !== 0) return `the ${what} is not owned by root`;
  if ((facts.mode & 0o022) !== 0) return `the ${what} can be written by users other than root`;
  return null;
}

/** Linux and macOS: the file and its folder, by owner and mode. */
export function posixWriterCheck(
  stat: (p: string) => { uid: number; mode: number } = (p) => statSync(p),
): WriterCheck {
  return (file) => {
    for (const [what, target] of [
      ['file', file],
      ['folder', path.dirname(file)],
    ] as const) {
      const problem = posixWriterProblem(what, stat(target));
      if (problem) return problem;
    }
    return null;
  };
}

/** SIDs that may write: SYSTEM, BUILTIN\Administrators, NT SERVICE\TrustedInstaller. */
const ADMIN_SIDS = new Set([
  'S-1-5-18',
  'S-1-5-32-544',
  'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
]);

/** FileSystemRights words (and bits, when PowerShell prints a number) that let a principal change the file. */
const WRITE_WORDS =
  /\b(FullControl|Modify|Write|WriteData|CreateFiles|AppendData|CreateDirectories|WriteExtendedAttributes|WriteAttributes|Delete|DeleteSubdirectoriesAndFiles|ChangePermissions|TakeOwnership)\b/;
const WRITE_BITS =
  0x10000000 | 0x40000000 | 0x00080000 | 0x00040000 | 0x00010000 | 0x2 | 0x4 | 0x10 | 0x40 | 0x100;

/**
 * Reads `SID|FileSystemRights|AccessControlType|PropagationFlags` lines (the PowerShell below prints
 * them) and names a non-administrator that may write, or returns null. Pure, so it is tested anywhere.
 */
export function windowsWriterProblem(what: string, lines: string): string | null {
  for (const line of lines.split(/\r?\n/)) {
    const [sid, rights, type, propagation] = line.trim().split('|');
    if (!sid || !rights || type !== 'Allow') continue;
    // An inherit-only rule applies to what is created inside, not to this file or folder.
    if (propagation?.includes('InheritOnly')) continue;
    const numeric = /^\d+$/.test(rights.trim()) ? Number(rights) : 0;
    const writes = WRITE_WORDS.test(rights) || (numeric & WRITE_BITS) !== 0;
    if (writes && !ADMIN_SIDS.has(sid))
      return `the ${what} can be changed by ${sid}, which is not an administrator`;
  }
  return null;
}

function powershellAcl(target: string): string {
  const script =
    "(Get-Acl -LiteralPath $env:VD_TARGET).Access | ForEach-Object { $_.IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]).Value + '|' + $_.FileSystemRights + '|' + $_.AccessControlType + '|' + $_.PropagationFlags }";
  return execFileSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], {
    env: { ...process.env, VD_TARGET: target },
    windowsHide: true,
    timeout: 15_000,
    encoding: 'utf8',
  });
}

export function windowsWriterCheck(readAcl: (target: string) => string = powershellAcl): WriterCheck {
  return (file) => {
    for (const [what, target] of [
      ['file', file],
      ['folder', path.win32.dirname(file)],
    ] as const) {
      let lines: string;
      try {
        lines = readAcl(target);
      } catch {
        return `the permissions of the ${what} could not be read`;
      }
      const problem = windowsWriterProblem(what, lines);
      if (problem) return problem;
    }
    return null;
  };
}

export function systemWriterCheck(platform: NodeJS.Platform = process.platform): WriterCheck {
  return platform === 'win32' ? windowsWriterCheck() : posixWriterCheck();
}
