/**
 * The policy file is refused when anyone but an administrator can change it or its folder. The attack:
 * a user makes (or finds) the policy folder writable and drops in a policy that switches two-step
 * sign-in off and points sync at their own server. On Linux the test uses real files and modes (it
 * runs as root in CI; the owner check is also tested on given facts, so it holds for any user); the
 * Windows rule is tested on PowerShell Get-Acl output (no Windows here).
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../../main/policy/load';
import {
  posixWriterCheck,
  posixWriterProblem,
  windowsWriterCheck,
  windowsWriterProblem,
} from '../../../main/policy/writers';

const HOSTILE = { requireTwoFactor: false, fhir: { baseUrl: 'https://stranger.example/fhir' } };
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('policy file writers (Linux, macOS)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'vd-policy-perm-')), 'vitals-desk');
    mkdirSync(dir, { mode: 0o755 });
    file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify(HOSTILE), { mode: 0o644 });
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it.each([
    ['owned by root, 0644 in a 0755 folder', { uid: 0, mode: 0o100644 }, null],
    ['not owned by root', { uid: 1000, mode: 0o100644 }, 'the file is not owned by root'],
    ['writable by its group', { uid: 0, mode: 0o100664 }, 'the file can be written by users other than root'],
    ['writable by everyone', { uid: 0, mode: 0o100666 }, 'the file can be written by users other than root'],
  ])('%s', (_name, facts, expected) => {
    expect(posixWriterProblem('file', facts)).toBe(expected);
  });

  it.runIf(asRoot)('applies a root-owned file nobody else can write', () => {
    expect(loadPolicyFile(file).status).toBe('applied');
  });

  it.runIf(asRoot)(
    'refuses a world-writable file: none of it applies, safe defaults do, and it says why',
    () => {
      chmodSync(file, 0o666);
      const result = loadPolicyFile(file);
      expect(result.status).toBe('unreadable');
      expect(result.policy.fhir).toBeUndefined();
      expect(result.policy.requireTwoFactor).toBe(true);
      expect(result.problems).toEqual([
        {
          field: 'policy file',
          message: expect.stringContaining('the file can be written by users other than root'),
        },
      ]);
    },
  );

  it.runIf(asRoot)('refuses a file in a folder others can write (they could replace it)', () => {
    chmodSync(dir, 0o777);
    const result = loadPolicyFile(file);
    expect(result.status).toBe('unreadable');
    expect(result.problems[0]!.message).toContain('the folder can be written by users other than root');
  });

  it.runIf(asRoot)('refuses a file a user owns, even with safe modes', () => {
    chownSync(file, 1000, 1000);
    expect(loadPolicyFile(file).problems[0]!.message).toContain('the file is not owned by root');
  });

  it('refuses what the check cannot read, rather than trusting it', () => {
    const result = loadPolicyFile(
      file,
      undefined,
      posixWriterCheck(() => {
        throw new Error('EIO');
      }),
    );
    expect(result.status).toBe('unreadable');
    expect(result.policy.requireTwoFactor).toBe(true);
  });
});

describe('policy file writers (Windows)', () => {
  const SYSTEM = 'S-1-5-18|FullControl|Allow|None';
  const ADMINS = 'S-1-5-32-544|FullControl|Allow|None';
  const USERS_READ = 'S-1-5-32-545|ReadAndExecute, Synchronize|Allow|None';

  it('accepts a folder only SYSTEM and Administrators can change', () => {
    expect(windowsWriterProblem('folder', [SYSTEM, ADMINS, USERS_READ].join('\r\n'))).toBeNull();
  });

  it.each([
    [
      'Users may create files (ProgramData default, inherited)',
      'S-1-5-32-545|CreateFiles, Synchronize|Allow|None',
    ],
    ['Authenticated Users may modify', 'S-1-5-11|Modify, Synchronize|Allow|None'],
    ['Everyone has generic write (numeric rights)', 'S-1-1-0|1073741824|Allow|None'],
    ['a user may change permissions', 'S-1-5-21-1-2-3-1001|ChangePermissions|Allow|None'],
  ])('refuses when %s', (_name, rule) => {
    expect(windowsWriterProblem('folder', [SYSTEM, ADMINS, rule].join('\n'))).toMatch(
      /is not an administrator/,
    );
  });

  it('ignores inherit-only rules and deny rules (they do not let anyone write this folder)', () => {
    const lines = [SYSTEM, ADMINS, 'S-1-3-0|FullControl|Allow|InheritOnly', 'S-1-1-0|Write|Deny|None'].join(
      '\n',
    );
    expect(windowsWriterProblem('folder', lines)).toBeNull();
  });

  it('checks the file and its folder, and refuses when the permissions cannot be read', () => {
    const seen: string[] = [];
    const ok = windowsWriterCheck((target) => {
      seen.push(target);
      return [SYSTEM, ADMINS].join('\n');
    });
    expect(ok('C:\\ProgramData\\VitalsDesk\\policy.json')).toBeNull();
    expect(seen).toEqual(['C:\\ProgramData\\VitalsDesk\\policy.json', 'C:\\ProgramData\\VitalsDesk']);
    const failing = windowsWriterCheck(() => {
      throw new Error('powershell missing');
    });
    expect(failing('C:\\ProgramData\\VitalsDesk\\policy.json')).toBe(
      'the permissions of the file could not be read',
    );
  });
});
