/**
 * The installers create the policy folder so that the app's own check (main/policy/writers.ts) accepts
 * it: only administrators/root can write it. Installers cannot be built here (no Windows, no fpm run),
 * so the configuration is checked to reference the scripts, the Windows grants are read out of the NSIS
 * include and judged by the app's Windows rule (and the include is compiled where makensis exists),
 * and the Linux script's policy part is run for real against a folder in a temporary directory (as
 * root only: it sets the owner to root).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { posixWriterProblem, windowsWriterProblem } from '../../../main/policy/writers';
import { policyFilePath } from '../../../main/policy/location';

const root = path.resolve(import.meta.dirname, '../../..');
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  nsis: { include?: string };
  deb: { afterInstall?: string };
  rpm: { afterInstall?: string };
};
const nsh = readFileSync(path.join(root, 'build/installer.nsh'), 'utf8');
const afterInstall = readFileSync(path.join(root, 'build/linux-after-install.sh'), 'utf8');

describe('the installer configuration references the policy-folder scripts', () => {
  it('NSIS includes build/installer.nsh; deb and rpm run build/linux-after-install.sh', () => {
    expect(config.nsis.include).toBe('build/installer.nsh');
    expect(config.deb.afterInstall).toBe('build/linux-after-install.sh');
    expect(config.rpm.afterInstall).toBe('build/linux-after-install.sh');
  });
});

describe('Windows: %ProgramData%\\VitalsDesk from the NSIS include', () => {
  it('is the folder the app reads the policy from', () => {
    expect(path.win32.dirname(policyFilePath('win32', { ProgramData: 'C:\\ProgramData' }))).toBe(
      'C:\\ProgramData\\VitalsDesk',
    );
    expect(nsh).toContain('ReadEnvStr $0 "ProgramData"');
    expect(nsh).toContain('StrCpy $0 "$0\\VitalsDesk"');
  });

  it('runs from customInstall, for a per-machine install only', () => {
    expect(nsh).toMatch(/!macro customInstall\s+!insertmacro vitalsPolicyFolder\s+!macroend/);
    expect(nsh).toMatch(/!macro vitalsPolicyFolder[\s\S]*\$\{if\} \$installMode == "all"[\s\S]*icacls/);
  });

  it('resets, removes inheritance, grants, then takes ownership, in that order', () => {
    const calls = [...nsh.matchAll(/nsExec::ExecToLog '"\$SYSDIR\\icacls\.exe" "\$0" ([^']*)'/g)].map(
      (m) => m[1],
    );
    expect(calls).toEqual([
      '/reset /T /C /Q',
      '/inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX /C /Q',
      '/setowner *S-1-5-32-544 /T /C /Q',
    ]);
  });

  it('the grants it leaves pass the app’s own Windows rule; ProgramData’s inherited ones would not', () => {
    const words: Record<string, string> = {
      F: 'FullControl',
      M: 'Modify',
      RX: 'ReadAndExecute, Synchronize',
      W: 'Write',
    };
    const grant = /\/grant:r ((?:\*S-[\d-]+:\S+ ?)+)/.exec(nsh)?.[1] ?? '';
    const lines = grant
      .trim()
      .split(' ')
      .map((entry) => {
        const [sid, perms] = entry.slice(1).split(':');
        const access = /\(([A-Z]+)\)$/.exec(perms ?? '')?.[1] ?? '';
        return `${sid}|${words[access] ?? access}|Allow|None`;
      })
      .join('\n');
    expect(lines.split('\n')).toHaveLength(3);
    expect(windowsWriterProblem('folder', lines)).toBeNull();
    // What a folder would keep with inheritance on: Users may create files in ProgramData's subfolders.
    expect(
      windowsWriterProblem('folder', `${lines}\nS-1-5-32-545|CreateFiles, AppendData|Allow|None`),
    ).toMatch(/S-1-5-32-545/);
  });
});

describe('Windows MSI: the same folder from the msiProjectCreated hook', () => {
  const require = createRequire(import.meta.url);
  const hook = require(path.join(root, 'build/msi-policy-folder.cjs')) as {
    withPolicyFolder(wxs: string): string;
    POLICY_FOLDER_SDDL: string;
  };
  // electron-builder's own MSI project template, with its template directives dropped.
  const template = readFileSync(require.resolve('app-builder-lib/templates/msi/template.xml'), 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('{{'))
    .join('\n');

  it('is the hook the configuration runs, and the MSI is per machine', () => {
    expect((config as { msiProjectCreated?: string }).msiProjectCreated).toBe(
      './build/msi-policy-folder.cjs',
    );
    expect((config as { msi?: { perMachine?: boolean } }).msi?.perMachine).toBe(true);
  });

  it('adds a permanent component creating CommonAppDataFolder\\VitalsDesk to the product feature, once', () => {
    const wxs = hook.withPolicyFolder(template);
    expect(wxs).toMatch(/<Feature Id="ProductFeature"[^>]*>\s*<ComponentRef Id="VitalsPolicyFolder"\/>/);
    expect(wxs).toMatch(
      /<DirectoryRef Id="TARGETDIR">\s*<Directory Id="CommonAppDataFolder">\s*<Directory Id="\w+" Name="VitalsDesk">\s*<Component Id="VitalsPolicyFolder" Guid="[0-9A-F-]{36}" Permanent="yes">\s*<CreateFolder>\s*<PermissionEx Sddl="[^"]+"\/>/,
    );
    expect(wxs.indexOf('<DirectoryRef')).toBeLessThan(wxs.indexOf('</Product>'));
    expect(hook.withPolicyFolder(wxs)).toBe(wxs);
    expect(() => hook.withPolicyFolder('<Wix/>')).toThrow(/ProductFeature/);
  });

  it('leaves a protected ACL that passes the app’s own Windows rule; one granting Users write would not', () => {
    const sddl = hook.POLICY_FOLDER_SDDL;
    // O:BA owner Administrators; D:P protected, nothing inherited from ProgramData.
    expect(sddl).toMatch(/^O:BAG:BAD:PAI?\(/);
    const sids: Record<string, string> = { SY: 'S-1-5-18', BA: 'S-1-5-32-544', BU: 'S-1-5-32-545' };
    const rights: Record<string, string> = { FA: 'FullControl' };
    const lines = (acl: string) =>
      [...acl.matchAll(/\(A;([A-Z]*);(\w+);;;(\w+)\)/g)]
        .map(([, , mask, who]) => `${sids[who!] ?? who}|${rights[mask!] ?? String(Number(mask))}|Allow|None`)
        .join('\n');
    expect(lines(sddl).split('\n')).toEqual([
      'S-1-5-18|FullControl|Allow|None',
      'S-1-5-32-544|FullControl|Allow|None',
      'S-1-5-32-545|1179817|Allow|None',
    ]);
    expect(windowsWriterProblem('folder', lines(sddl))).toBeNull();
    expect(windowsWriterProblem('folder', lines(sddl.replace('0x1200a9', '0x1301bf')))).toMatch(
      /S-1-5-32-545/,
    );
  });
});

const hasMakensis = spawnSync('makensis', ['-VERSION']).status === 0;

describe.runIf(hasMakensis)('the NSIS include compiles (makensis, warnings as errors)', () => {
  it('inside a script shaped like electron-builder’s: LogicLib, $installMode, customInstall in a section', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-nsis-'));
    try {
      const script = path.join(dir, 'installer.nsi');
      writeFileSync(
        script,
        [
          'Unicode true',
          '!include LogicLib.nsh',
          `OutFile "${path.join(dir, 'policy-folder-check.exe')}"`,
          'RequestExecutionLevel user',
          'Var installMode',
          `!include "${path.join(root, 'build/installer.nsh')}"`,
          'Section',
          '  StrCpy $installMode all',
          '  !insertmacro customInstall',
          'SectionEnd',
          '',
        ].join('\n'),
      );
      const result = spawnSync('makensis', ['-V2', '-WX', script], { encoding: 'utf8' });
      expect(result.stdout + result.stderr).not.toMatch(/error|warning/i);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Linux: /etc/vitals-desk from the after-install script', () => {
  const policyPart = (): string => {
    const start = afterInstall.indexOf('# --- policy folder ---');
    const end = afterInstall.indexOf('# --- end policy folder ---');
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    return afterInstall.slice(start, end);
  };

  it('keeps electron-builder’s default after-install steps and is valid bash', () => {
    for (const step of [
      "update-alternatives --install '/usr/bin/${executable}'",
      "chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox'",
      'apparmor_parser --replace',
    ]) {
      expect(afterInstall).toContain(step);
    }
    expect(spawnSync('bash', ['-n', path.join(root, 'build/linux-after-install.sh')]).status).toBe(0);
    // Verbatim, so an electron-builder upgrade that changes its default shows up here.
    const builtIn = readFileSync(
      path.join(root, 'node_modules/app-builder-lib/templates/linux/after-install.tpl'),
      'utf8',
    ).replace(/^#!.*\n/, '');
    expect(afterInstall).toContain(builtIn);
  });

  it('uses only the macros electron-builder fills in (any other ${name} stops the build)', () => {
    const macros = new Set([...afterInstall.matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]));
    expect([...macros].sort()).toEqual(['executable', 'sanitizedProductName']);
  });

  it('names the folder the app reads the policy from, 0755 root:root', () => {
    expect(path.posix.dirname(policyFilePath('linux'))).toBe('/etc/vitals-desk');
    expect(policyPart()).toContain("POLICY_DIR='/etc/vitals-desk'");
    expect(policyPart()).toContain('install -d -m 0755 -o root -g root "$POLICY_DIR"');
  });

  describe.runIf(process.getuid?.() === 0)('run for real (as root)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-etc-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const run = (target: string) =>
      spawnSync('bash', ['-c', policyPart().replace("'/etc/vitals-desk'", `'${target}'`)], {
        encoding: 'utf8',
      });

    it('creates the folder root-owned 0755, which the app’s check accepts', () => {
      const target = path.join(dir, 'vitals-desk');
      expect(run(target).status).toBe(0);
      const stat = statSync(target);
      expect([stat.uid, stat.gid, stat.mode & 0o7777]).toEqual([0, 0, 0o755]);
      expect(posixWriterProblem('folder', stat)).toBeNull();
    });

    it('takes back a folder a user made writable for everyone', () => {
      const target = path.join(dir, 'vitals-desk');
      mkdirSync(target);
      chownSync(target, 1000, 1000);
      chmodSync(target, 0o777);
      expect(posixWriterProblem('folder', statSync(target))).not.toBeNull();
      expect(run(target).status).toBe(0);
      expect(posixWriterProblem('folder', statSync(target))).toBeNull();
    });

    it('does not follow a symbolic link put in the folder’s place', () => {
      const elsewhere = path.join(dir, 'user-dir');
      mkdirSync(elsewhere);
      chownSync(elsewhere, 1000, 1000);
      const target = path.join(dir, 'vitals-desk');
      symlinkSync(elsewhere, target);
      const result = run(target);
      expect(result.stderr).toContain('is a symbolic link');
      expect(statSync(elsewhere).uid).toBe(1000);
    });
  });
});
