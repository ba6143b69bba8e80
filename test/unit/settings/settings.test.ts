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
import { memorySecurityChoiceStore } from '../../../main/settings/workstation-security';
import { AppError } from '../../../shared/ipc/errors';

const policyFrom = (json: object): PolicyLoad => ({
  file: '/etc/vitals-desk/policy.json',
  ...parsePolicy(JSON.stringify(json)),
});

describe('effective settings: policy over user over defaults', () => {
  it.each([
    ['default only', {}, {}, {}, 5, 5],
    ['the settings file is never read for it', { idleLockMinutes: 240 }, {}, {}, 5, 5],
    ['an admin choice within the default bound', {}, {}, { idleLockMinutes: 3 }, 3, 5],
    ['the policy value is the bound', {}, { idleLockMinutes: 30 }, {}, 30, 30],
    ['an admin choice within the policy bound', {}, { idleLockMinutes: 30 }, { idleLockMinutes: 10 }, 10, 30],
    [
      'a stored choice above a tightened bound is not used',
      {},
      { idleLockMinutes: 3 },
      { idleLockMinutes: 10 },
      3,
      3,
    ],
    ['bad policy → safe default as the bound', { idleLockMinutes: 15 }, { idleLockMinutes: 'x' }, {}, 5, 5],
  ])('idle lock: %s', (_name, user, policy, security, value, max) => {
    const result = effectiveSettings(user, policyFrom(policy), DEFAULT_SETTINGS, security);
    expect(result.idleLockMinutes).toEqual({ value, locked: false, max });
  });

  it.each([
    ['fhirBaseUrl', 'https://stranger.example/fhir', null],
    ['updateFeedUrl', 'https://stranger.example/feed', null],
    ['requireTwoFactor', false, true],
  ] as const)(
    '%s comes only from the policy (else its default), never the settings file',
    (key, userValue, fallback) => {
      const result = effectiveSettings({ [key]: userValue }, policyFrom({}));
      expect(result[key]).toEqual({ value: fallback, locked: true });
    },
  );

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
  it('puts back exactly what was stored: after a change whose record fails, and after a change saved only in part', () => {
    const store = memorySettingsStore({ weightUnit: '[lb_av]' });
    const security = memorySecurityChoiceStore({ idleLockMinutes: 4 });
    const service = createSettingsService({
      store,
      policy: policyFrom({}),
      securityChoices: () => security,
      logger: memoryLogger(),
    });
    const { restore } = service.update(
      { weightUnit: 'kg', idleLockMinutes: 2, reauthTwoFactorAfterMinutes: 30 },
      'admin-1',
    );
    expect(security.read()).toEqual({ idleLockMinutes: 2, reauthTwoFactorAfterMinutes: 30 });
    restore();
    // A choice never made before is gone again, not kept at its new value.
    expect(store.read()).toEqual({ weightUnit: '[lb_av]' });
    expect(security.read()).toEqual({ idleLockMinutes: 4 });

    // The security choice cannot be written after the preference was: the preference is put back too.
    const failing = {
      ...security,
      write: () => {
        throw new Error('disk full (test)');
      },
    };
    const partly = createSettingsService({
      store,
      policy: policyFrom({}),
      securityChoices: () => failing,
      logger: memoryLogger(),
    });
    expect(() => partly.update({ temperatureUnit: '[degF]', idleLockMinutes: 3 })).toThrow(
      'disk full (test)',
    );
    expect(store.read()).toEqual({ weightUnit: '[lb_av]' });
    expect(security.read()).toEqual({ idleLockMinutes: 4 });
  });

  it('saves what is not locked and refuses a locked setting, saving nothing', () => {
    const store = memorySettingsStore();
    const logger = memoryLogger();
    const security = memorySecurityChoiceStore();
    const service = createSettingsService({
      store,
      policy: policyFrom({ idleLockMinutes: 10, clinicName: 'Riverside' }),
      securityChoices: () => security,
      logger,
    });
    const { view, changed } = service.update({ weightUnit: '[lb_av]', idleLockMinutes: 3 }, 'admin-1');
    expect(view.settings.weightUnit).toEqual({ value: '[lb_av]', locked: false });
    expect(view.settings.idleLockMinutes).toEqual({ value: 3, locked: false, max: 10 });
    expect(changed).toEqual([
      { key: 'weightUnit', from: 'kg', to: '[lb_av]' },
      { key: 'idleLockMinutes', from: 10, to: 3 },
    ]);
    // The preference goes to the settings file, the security choice does not.
    expect(store.read()).toEqual({ weightUnit: '[lb_av]' });
    expect(security.read()).toEqual({ idleLockMinutes: 3 });

    const refusal = (changes: Parameters<typeof service.update>[0]): AppError => {
      try {
        service.update(changes);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        return error as AppError;
      }
      throw new Error('not refused');
    };
    const locked = refusal({
      temperatureUnit: '[degF]',
      clinicName: 'Elsewhere',
      fhirBaseUrl: 'https://x.example',
    });
    expect(locked.code).toBe('FORBIDDEN');
    expect(locked.message).toContain('set by your IT department');
    expect(locked.issues?.map((i) => i.path)).toEqual(['clinicName', 'fhirBaseUrl']);
    const beyond = refusal({ temperatureUnit: '[degF]', idleLockMinutes: 11 });
    expect(beyond.code).toBe('VALIDATION');
    expect(beyond.issues).toEqual([
      { path: 'idleLockMinutes', message: "At most 10 (your IT department's limit)." },
    ]);
    expect(store.read()).toEqual({ weightUnit: '[lb_av]' });
    expect(security.read()).toEqual({ idleLockMinutes: 3 });
  });

  it('refuses a security choice while the encrypted database is not open, saving nothing', () => {
    const store = memorySettingsStore();
    const service = createSettingsService({ store, policy: noPolicy(''), logger: memoryLogger() });
    expect(() => service.update({ weightUnit: '[lb_av]', idleLockMinutes: 2 })).toThrow(/not open/);
    expect(store.read()).toEqual({});
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
      dateOrder: 'YYYY-MM-DD',
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

  it('without a policy only the settings that steer patient data are locked', () => {
    const service = createSettingsService({
      store: memorySettingsStore(),
      policy: noPolicy(''),
      logger: memoryLogger(),
    });
    const locked = Object.entries(service.effective())
      .filter(([, entry]) => entry.locked)
      .map(([key]) => key);
    expect(locked.sort()).toEqual(['fhirBaseUrl', 'requireTwoFactor', 'updateFeedUrl']);
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
    store.write({ weightUnit: '[lb_av]', clinicName: 'Hillside' });
    expect(jsonFileSettingsStore(file).read()).toEqual({ weightUnit: '[lb_av]', clinicName: 'Hillside' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ weightUnit: '[lb_av]', clinicName: 'Hillside' });
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
    // Valid values of the security settings are dropped too: the file may not speak for them.
    writeFileSync(
      file,
      JSON.stringify({
        fhirBaseUrl: 'https://stranger.example/fhir',
        requireTwoFactor: false,
        idleLockMinutes: 240,
        reauthTwoFactorAfterMinutes: 1440,
        updateFeedUrl: 'https://stranger.example/feed',
        clinicName: 'Hillside',
      }),
    );
    expect(jsonFileSettingsStore(file).read()).toEqual({ clinicName: 'Hillside' });
    writeFileSync(file, '{ half a file');
    expect(jsonFileSettingsStore(file).read()).toEqual({});
    expect(sanitizeStoredSettings([1, 2])).toEqual({});
  });
});
