import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../main/logging/logger';
import { noPolicy, parsePolicy, type PolicyLoad } from '../../../main/policy/load';
import { DEFAULT_SETTINGS, effectiveSettings } from '../../../main/settings/effective';
import { jsonFileSettingsStore } from '../../../main/settings/json-file-store';
import { createSettingsService } from '../../../main/settings/service';
import { memorySettingsStore, sanitizeStoredSettings } from '../../../main/settings/store';
import { AppError } from '../../../shared/ipc/errors';

const policyFrom = (json: object): PolicyLoad => ({
  file: '/etc/vitals-desk/policy.json',
  ...parsePolicy(JSON.stringify(json)),
});

describe('effective settings: policy over user over defaults', () => {
  it.each([
    ['default only', {}, {}, 5, false],
    ['user choice', { idleLockMinutes: 15 }, {}, 15, false],
    ['policy wins over user', { idleLockMinutes: 15 }, { idleLockMinutes: 3 }, 3, true],
    [
      'bad policy → safe default, locked, user ignored',
      { idleLockMinutes: 15 },
      { idleLockMinutes: 'x' },
      5,
      true,
    ],
  ])('%s', (_name, user, policy, value, locked) => {
    const result = effectiveSettings(user, policyFrom(policy));
    expect(result.idleLockMinutes).toEqual({ value, locked });
  });

  it('maps nested policy fields onto settings', () => {
    const result = effectiveSettings(
      { updateChannel: 'beta', fhirBaseUrl: 'https://mine.example/fhir' },
      policyFrom({
        fhir: { baseUrl: 'https://fhir.example.org/r4' },
        updates: { enabled: false, channel: 'latest', feedUrl: 'https://u.example.org/feed' },
      }),
    );
    expect(result.fhirBaseUrl).toEqual({ value: 'https://fhir.example.org/r4', locked: true });
    expect(result.updatesEnabled).toEqual({ value: false, locked: true });
    expect(result.updateChannel).toEqual({ value: 'latest', locked: true });
    expect(result.updateFeedUrl).toEqual({ value: 'https://u.example.org/feed', locked: true });
    // Preferences policy does not govern stay the user's.
    expect(result.temperatureUnit).toEqual({ value: 'Cel', locked: false });
  });

  it('a locked field IT set badly shows the default, not the user value', () => {
    const result = effectiveSettings({ clinicName: 'Mine' }, policyFrom({ clinicName: '' }));
    expect(result.clinicName).toEqual({ value: DEFAULT_SETTINGS.clinicName, locked: true });
  });
});

describe('settings service', () => {
  it('saves what is not locked and refuses a locked setting, saving nothing', () => {
    const store = memorySettingsStore();
    const logger = memoryLogger();
    const service = createSettingsService({ store, policy: policyFrom({ idleLockMinutes: 3 }), logger });
    const view = service.update({ weightUnit: '[lb_av]', clinicName: 'Hillside' });
    expect(view.settings.weightUnit).toEqual({ value: '[lb_av]', locked: false });
    expect(store.read()).toEqual({ weightUnit: '[lb_av]', clinicName: 'Hillside' });

    let refused: unknown;
    try {
      service.update({ temperatureUnit: '[degF]', idleLockMinutes: 30 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('FORBIDDEN');
    expect((refused as AppError).message).toContain('set by your IT department');
    expect((refused as AppError).issues).toEqual([
      { path: 'idleLockMinutes', message: 'Set by your IT department.' },
    ]);
    expect(store.read()).toEqual({ weightUnit: '[lb_av]', clinicName: 'Hillside' });
  });

  it('reports policy problems in the view and logs field names only', () => {
    const logger = memoryLogger();
    const secret = 'client-secret-value';
    const service = createSettingsService({
      store: memorySettingsStore(),
      policy: policyFrom({
        requireTwoFactor: 'no',
        fhir: {
          auth: {
            type: 'client-credentials',
            tokenUrl: 'https://a.example/t',
            clientId: 'c',
            clientSecret: secret,
          },
        },
        allowedDevices: [{ transport: 'ble' }],
        updates: { stagingPercentage: 20 },
      }),
      logger,
    });
    const view = service.view();
    expect(view.policy.status).toBe('applied-with-problems');
    expect(view.policy.problems.map((p) => p.field)).toEqual(['requireTwoFactor']);
    expect(view.settings.requireTwoFactor).toEqual({ value: true, locked: true });
    expect(view.managed).toEqual({
      fhirAuth: 'client-credentials',
      allowedDeviceRules: 1,
      stagingPercentage: 20,
    });
    expect(JSON.stringify(view)).not.toContain(secret);
    expect(logger.records).toEqual([
      {
        level: 'warn',
        event: 'policy.problems',
        fields: { status: 'applied-with-problems', fields: ['requireTwoFactor'] },
      },
    ]);
  });

  it('without a policy nothing is locked', () => {
    const service = createSettingsService({
      store: memorySettingsStore(),
      policy: noPolicy(''),
      logger: memoryLogger(),
    });
    expect(Object.values(service.effective()).some((entry) => entry.locked)).toBe(false);
  });
});

describe('JSON file settings store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vitals-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through a real file, readable only by the user', () => {
    const file = path.join(dir, 'nested', 'settings.json');
    const store = jsonFileSettingsStore(file);
    expect(store.read()).toEqual({});
    store.write({ idleLockMinutes: 7, fhirBaseUrl: null });
    expect(jsonFileSettingsStore(file).read()).toEqual({ idleLockMinutes: 7, fhirBaseUrl: null });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ idleLockMinutes: 7, fhirBaseUrl: null });
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o077).toBe(0);
    }
  });

  it('drops invalid or unknown stored keys one by one, and survives a damaged file', () => {
    const file = path.join(dir, 'settings.json');
    writeFileSync(
      file,
      JSON.stringify({
        idleLockMinutes: -3,
        weightUnit: 'kg',
        patientName: 'x',
        fhirBaseUrl: 'http://insecure',
      }),
    );
    expect(jsonFileSettingsStore(file).read()).toEqual({ weightUnit: 'kg' });
    writeFileSync(file, '{ half a file');
    expect(jsonFileSettingsStore(file).read()).toEqual({});
    expect(sanitizeStoredSettings([1, 2])).toEqual({});
  });
});
