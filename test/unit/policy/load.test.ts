import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicyFile, parsePolicy } from '../../../main/policy/load';
import { policyFilePath } from '../../../main/policy/location';
import { policyFileSchema } from '../../../main/policy/schema';

const VALID = {
  clinicName: 'Riverside Clinic',
  workstationName: 'Intake 2',
  fhir: {
    baseUrl: 'https://fhir.example.org/r4',
    auth: {
      type: 'client-credentials',
      tokenUrl: 'https://auth.example.org/token',
      clientId: 'vitals-desk',
      clientSecret: 's3cret-value',
      scope: 'system/Observation.write',
    },
  },
  requireTwoFactor: true,
  idleLockMinutes: 3,
  reauthTwoFactorAfterMinutes: 30,
  allowedDevices: [
    { transport: 'serial', driver: 'serial.nonin-8', usbVendorId: '0403', usbProductId: '6001' },
    { transport: 'ble', driver: 'ble.blood-pressure' },
  ],
  updates: {
    enabled: true,
    channel: 'latest',
    feedUrl: 'https://updates.example.org/vitals-desk',
    stagingPercentage: 25,
  },
};

describe('parsePolicy', () => {
  it('applies a valid policy and locks every field it sets', () => {
    const result = parsePolicy(JSON.stringify(VALID));
    expect(result.status).toBe('applied');
    expect(result.problems).toEqual([]);
    expect(result.policy).toEqual(VALID);
    expect([...result.lockedFields].sort()).toEqual(
      [
        'allowedDevices',
        'clinicName',
        'fhir.auth',
        'fhir.baseUrl',
        'idleLockMinutes',
        'reauthTwoFactorAfterMinutes',
        'requireTwoFactor',
        'updates.channel',
        'updates.enabled',
        'updates.feedUrl',
        'updates.stagingPercentage',
        'workstationName',
      ].sort(),
    );
    // The strict whole-file schema agrees with the field-by-field loader.
    expect(policyFileSchema.safeParse(VALID).success).toBe(true);
  });

  it('locks only what IT set', () => {
    const result = parsePolicy('{ "idleLockMinutes": 2 }');
    expect(result.policy).toEqual({ idleLockMinutes: 2 });
    expect(result.lockedFields).toEqual(['idleLockMinutes']);
  });

  it('accepts a UTF-8 byte-order mark (Windows Notepad)', () => {
    expect(parsePolicy('\uFEFF{ "requireTwoFactor": false }').policy).toEqual({ requireTwoFactor: false });
  });

  it.each([
    ['requireTwoFactor', { requireTwoFactor: 'yes' }, { requireTwoFactor: true }],
    ['idleLockMinutes', { idleLockMinutes: 0 }, { idleLockMinutes: 5 }],
    ['idleLockMinutes', { idleLockMinutes: 2.5 }, { idleLockMinutes: 5 }],
    ['reauthTwoFactorAfterMinutes', { reauthTwoFactorAfterMinutes: -1 }, { reauthTwoFactorAfterMinutes: 60 }],
    ['allowedDevices', { allowedDevices: [{ transport: 'usb' }] }, { allowedDevices: [] }],
    [
      'allowedDevices',
      { allowedDevices: [{ transport: 'serial', usbVendorId: '4030x' }] },
      { allowedDevices: [] },
    ],
    ['clinicName', { clinicName: '' }, {}],
    ['workstationName', { workstationName: 42 }, {}],
    ['fhir.baseUrl', { fhir: { baseUrl: 'http://fhir.example.org' } }, { fhir: {} }],
    [
      'fhir.auth',
      { fhir: { auth: { type: 'client-credentials', tokenUrl: 'https://a.example/t', clientId: 'x' } } },
      { fhir: {} },
    ],
    ['fhir.auth', { fhir: { auth: { type: 'password' } } }, { fhir: {} }],
    ['updates.enabled', { updates: { enabled: 'on' } }, { updates: { enabled: false } }],
    ['updates.channel', { updates: { channel: 'nightly' } }, { updates: {} }],
    [
      'updates.feedUrl',
      { updates: { enabled: true, feedUrl: 'http://updates.example.org' } },
      { updates: { enabled: false } },
    ],
    ['updates.stagingPercentage', { updates: { stagingPercentage: 150 } }, { updates: {} }],
    ['updates', { updates: true }, { updates: { enabled: false } }],
    ['fhir', { fhir: 'https://fhir.example.org' }, { fhir: {} }],
    ['unknownSetting', { unknownSetting: 1 }, {}],
    ['updates.autoInstall', { updates: { autoInstall: true } }, { updates: {} }],
  ])('names the bad field %s and keeps safe defaults', (field, input, policy) => {
    const result = parsePolicy(JSON.stringify(input));
    expect(result.status).toBe('applied-with-problems');
    expect(result.problems.map((p) => p.field)).toEqual([field]);
    expect(result.policy).toEqual(policy);
    expect(result.problems[0]!.message.length).toBeGreaterThan(10);
  });

  it('keeps the good fields when one is bad', () => {
    const result = parsePolicy(JSON.stringify({ ...VALID, idleLockMinutes: 'five' }));
    expect(result.problems.map((p) => p.field)).toEqual(['idleLockMinutes']);
    expect(result.policy.clinicName).toBe('Riverside Clinic');
    expect(result.policy.idleLockMinutes).toBe(5);
    expect(result.lockedFields).toContain('idleLockMinutes');
  });

  it('a bad feed URL switches updates off and locks that', () => {
    const result = parsePolicy(JSON.stringify({ updates: { feedUrl: 'ftp://x.example' } }));
    expect(result.policy.updates).toEqual({ enabled: false });
    expect(result.lockedFields).toEqual(expect.arrayContaining(['updates.enabled', 'updates.feedUrl']));
  });

  it('never puts a value (a secret) into a problem message', () => {
    const secret = 'TopSecret-ClientKey-123';
    const result = parsePolicy(
      JSON.stringify({
        fhir: {
          auth: { type: 'client-credentials', tokenUrl: secret, clientId: secret, clientSecret: secret },
        },
        clinicName: secret.repeat(10),
      }),
    );
    expect(result.problems.map((p) => p.field).sort()).toEqual(['clinicName', 'fhir.auth']);
    expect(JSON.stringify(result.problems)).not.toContain(secret);
  });

  it.each([
    ['not JSON', '{ clinicName: "x", }'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"policy"'],
  ])(
    'a file that is %s: one problem for the file, every security setting at its safe default',
    (_what, text) => {
      const result = parsePolicy(text);
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]!.field).toBe('policy file');
      expect(result.policy).toEqual({
        requireTwoFactor: true,
        idleLockMinutes: 5,
        reauthTwoFactorAfterMinutes: 60,
        updates: { enabled: false },
      });
      expect(result.lockedFields).toEqual(
        expect.arrayContaining(['requireTwoFactor', 'idleLockMinutes', 'updates.enabled']),
      );
    },
  );
});

describe('loadPolicyFile on each OS path', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'vitals-policy-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Maps an OS's absolute policy path into the temporary root, so each OS's layout exists on disk here. */
  const inRoot = (osPath: string): string =>
    path.join(
      root,
      ...osPath
        .replace(/^[A-Za-z]:/, '')
        .split(/[\\/]/)
        .filter(Boolean),
    );
  const readInRoot = (osPath: string): Buffer => readFileSync(inRoot(osPath));
  /** Who may write the file is its own test (policy-writers.test.ts); here the file is taken as IT's. */
  const writtenByIt = (): null => null;

  const paths = [
    ['linux', policyFilePath('linux')],
    ['darwin', policyFilePath('darwin')],
    ['win32', policyFilePath('win32', { ProgramData: 'C:\\ProgramData' })],
  ] as const;

  it.each(paths)('%s: missing file → no policy, no problems', (_platform, file) => {
    const result = loadPolicyFile(file, readInRoot);
    expect(result).toEqual({ file, status: 'missing', policy: {}, lockedFields: [], problems: [] });
  });

  it.each(paths)('%s: valid file applies', (_platform, file) => {
    mkdirSync(path.dirname(inRoot(file)), { recursive: true });
    writeFileSync(inRoot(file), JSON.stringify(VALID));
    const result = loadPolicyFile(file, readInRoot, writtenByIt);
    expect(result.file).toBe(file);
    expect(result.status).toBe('applied');
    expect(result.policy.updates?.feedUrl).toBe('https://updates.example.org/vitals-desk');
  });

  it.each(paths)('%s: invalid file names the field', (_platform, file) => {
    mkdirSync(path.dirname(inRoot(file)), { recursive: true });
    writeFileSync(inRoot(file), JSON.stringify({ clinicName: 'Riverside', idleLockMinutes: 'soon' }));
    const result = loadPolicyFile(file, readInRoot, writtenByIt);
    expect(result.status).toBe('applied-with-problems');
    expect(result.problems.map((p) => p.field)).toEqual(['idleLockMinutes']);
    expect(result.policy).toEqual({ clinicName: 'Riverside', idleLockMinutes: 5 });
  });

  it('an unreadable file (permissions) is a problem with safe defaults, not a crash', () => {
    const file = policyFilePath('linux');
    const result = loadPolicyFile(file, () => {
      throw Object.assign(new Error('denied'), { code: 'EACCES' });
    });
    expect(result.status).toBe('unreadable');
    expect(result.problems).toEqual([{ field: 'policy file', message: expect.stringContaining('EACCES') }]);
    expect(result.policy.requireTwoFactor).toBe(true);
  });

  it('reads a real file through the default reader', () => {
    const file = path.join(root, 'policy.json');
    writeFileSync(file, '{ "workstationName": "Intake 3" }');
    expect(loadPolicyFile(file).policy).toEqual({ workstationName: 'Intake 3' });
  });

  it('refuses an oversized file', () => {
    const file = path.join(root, 'policy.json');
    writeFileSync(file, JSON.stringify({ comment: 'x'.repeat(300 * 1024) }));
    const result = loadPolicyFile(file);
    expect(result.problems[0]!.field).toBe('policy file');
    expect(result.policy.updates).toEqual({ enabled: false });
  });
});

describe('the example policy in docs/', () => {
  it('is a complete, valid policy with no problems', () => {
    const text = readFileSync(path.resolve(import.meta.dirname, '../../../docs/policy.example.json'), 'utf8');
    expect(policyFileSchema.safeParse(JSON.parse(text)).success).toBe(true);
    const result = parsePolicy(text);
    expect(result.problems).toEqual([]);
    expect(result.lockedFields).toHaveLength(12);
  });
});
