import { describe, expect, it } from 'vitest';
import { policyFilePath } from '../../../main/policy/location';

describe('policy file location per OS', () => {
  it.each([
    ['linux', {}, '/etc/vitals-desk/policy.json'],
    ['darwin', {}, '/Library/Application Support/VitalsDesk/policy.json'],
    ['win32', { ProgramData: 'C:\\ProgramData' }, 'C:\\ProgramData\\VitalsDesk\\policy.json'],
    ['win32', { PROGRAMDATA: 'D:\\Data' }, 'D:\\Data\\VitalsDesk\\policy.json'],
    ['win32', { SystemDrive: 'E:' }, 'E:\\ProgramData\\VitalsDesk\\policy.json'],
    ['win32', {}, 'C:\\ProgramData\\VitalsDesk\\policy.json'],
    ['freebsd', {}, '/etc/vitals-desk/policy.json'],
  ] as const)('%s %j → %s', (platform, env, expected) => {
    expect(policyFilePath(platform, env)).toBe(expected);
  });
});
