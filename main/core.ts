/**
 * The composition root of the main process. Builds every service from one config and
 * wires them to the IPC contract. It never imports `electron`: the Electron shell, the
 * Chromium host and the tests all create the same core.
 */
import path from 'node:path';
import type { Health } from '../shared/ipc/channels/app';
import type { ChannelName, IpcResult } from '../shared/ipc';
import { createDispatcher, type CallContext, type Dispatcher, type Handlers } from './ipc/dispatcher';
import { createEventBus, type EventBus } from './ipc/event-bus';
import { createAppHandlers } from './ipc/handlers/app';
import { systemClock, type Clock } from './platform/clock';
import type { Logger } from './logging/logger';
import { createFileLogger } from './logging/file-logger';
import { redactingLogger } from './logging/redact';
import { createSettingsHandlers } from './ipc/handlers/settings';
import { loadPolicyFile, noPolicy, type PolicyLoad } from './policy/load';
import { jsonFileSettingsStore } from './settings/json-file-store';
import { createSettingsService, type SettingsService } from './settings/service';
import type { SettingsStore } from './settings/store';
import { databaseSecurityChoiceStore } from './settings/security-store-db';
import { databaseUserUnitStore } from './settings/user-units';
import type { SecurityChoiceStore } from './settings/workstation-security';
import { AppError } from '../shared/ipc';
import type { Database } from './db/connection';
import { DB_MESSAGES, toDbAppError } from './db/errors';
import type { DbKeyProvider } from './db/keys/types';
import { openPatientDatabase, type PatientDatabase } from './db/patient-database';
import { encounterRepository } from './db/repositories/encounters';
import { observationRepository } from './db/repositories/observations';
import { patientRepository } from './db/repositories/patients';
import { reviewRepository } from './db/repositories/reviews';
import { createDatabaseHandlers } from './ipc/handlers/database';
import { openFailureFields } from './db/open-failure';
import { createEncounterHandlers } from './ipc/handlers/encounters';
import { createObservationHandlers } from './ipc/handlers/observations';
import { createPatientHandlers } from './ipc/handlers/patients';
import { createReviewHandlers } from './ipc/handlers/reviews';
import type { ReviewHost } from './ipc/handlers/review-host';
import { createAuditStore } from './audit/audit-store';
import { createPhiAuditHook } from './audit/phi-audit';
import { createAuditRecorder } from './audit/recorder';
import { ATOMIC_AUDITED_WRITES, AUDIT_NOT_RECORDED_CHANGE } from './audit/atomic-writes';
import { createAuthService } from './auth/auth-service';
import { createEventFanOut, type EventWindow } from './ipc/event-fanout';
import type { ScryptParams } from './auth/password';
import { createAuthorizer } from './auth/authorizer';
import { createUserStore } from './auth/user-store';
import { createAuditHandlers } from './ipc/handlers/audit';
import { createAuthHandlers } from './ipc/handlers/auth';
import { createUsersHandlers } from './ipc/handlers/users';
import { databaseDeviceStore } from './db/repositories/devices';
import type { BleAdapter } from './devices/ble/adapter';
import { bluetoothFromAdapter } from './devices/bluetooth';
import { createDeviceManager } from './devices/manager';
import { isDeviceAllowedByPolicy } from './policy/allowed-devices';
import { SERIAL_DRIVERS } from './devices/serial/drivers';
import { createSerialConnector } from './devices/serial/connector';
import type { SerialPortFactory } from './devices/serial/port';
import { createSystemPortLister, type PortLister } from './devices/serial/port-lister';
import type { AllowedDeviceStore } from './devices/types';
import { createDevicesHandlers } from './ipc/handlers/devices';
import { createSyncHandlers } from './ipc/handlers/sync';
import { createSyncService, type SyncConfig } from './sync/service';
import { syncConfigFromPolicy } from './sync/policy-config';
import { loadSyncKey } from './sync/sync-key-store';
import type { KeyWrapper } from './db/keys';
import { homeObservationRepository } from './db/repositories/home-observations';
import { homeEcgRepository } from './db/repositories/home-ecgs';
import { createHomeDataHandlers } from './ipc/handlers/home-data';
import { noFilePicker, type HomeFilePicker } from './import/file-picker';
import {
  createCsvMappingStore,
  jsonFileCsvMappingBackend,
  type CsvMappingStore,
} from './settings/csv-mapping-store';
import { createHomeImportService } from './import/home-import-service';

export interface CoreConfig {
  /** Where the encrypted database and the app's own files live. */
  dataDir: string;
  appVersion: string;
  host: Health['host'];
  clinicName?: string;
  workstationName?: string;
  clock?: Clock;
  logger?: Logger;
  /** Heartbeat period in ms; 0 turns it off (tests that count events). */
  heartbeatMs?: number;
  /** IT's machine-wide policy file (see main/policy/location.ts); absent: no policy is read. */
  policyFile?: string;
  /** An already loaded policy (tests); wins over `policyFile`. */
  policy?: PolicyLoad;
  /** Where user settings live; default: a JSON file in the data directory. */
  settingsStore?: SettingsStore;
  /** The CSV column mappings confirmed per layout; default: a JSON file in the data directory. */
  csvMappingStore?: CsvMappingStore;
  /** Where the database key comes from: the OS keychain in Electron, a key file or env var elsewhere. */
  dbKeyProvider: DbKeyProvider;
  /** How often idle windows are checked for the idle lock, in ms (default 15 s; 0: only on each call). */
  idleSweepMs?: number;
  /** Password hashing cost; default the production cost (main/auth/password.ts). Tests pass a lower one for speed. */
  passwordHashing?: ScryptParams;
  /** Device transports; defaults: the system's serial ports, and Bluetooth through noble. */
  devices?: {
    /** The Bluetooth radio; default: noble, loaded the first time Bluetooth is needed. */
    bleAdapter?: BleAdapter;
    serialPortFactory?: SerialPortFactory;
    serialPortLister?: PortLister;
    /**
     * Open serial ports that have no USB ids (simulators' pseudo-terminals in tests and the Chromium
     * host); default: IT's policy `allowSerialPortsWithoutUsbIds`, else no.
     */
    allowSerialPortsWithoutUsbIds?: boolean;
    /** Where pairings are kept; default: the encrypted database. */
    store?: AllowedDeviceStore;
    waveformBatchMs?: number;
    reconnect?: { initialMs: number; maxMs: number };
  };
  /** The care team's FHIR R4 server; absent: observations queue and sync reports "not configured". */
  fhir?: SyncConfig;
  /**
   * The OS key store (Electron safeStorage) for secrets other than the database key: the SMART backend
   * sync key is kept wrapped by it. Absent (hosts without Electron): the policy's key file is read as is.
   */
  secretWrapper?: KeyWrapper;
}

export interface Core {
  readonly events: EventBus;
  readonly clock: Clock;
  /** Effective settings (policy over user choice) for the other services: auth, devices, sync, updates. */
  readonly settings: SettingsService;
  /** The open encrypted database, or undefined when it could not be opened (see health `database`). */
  readonly db: Database | undefined;
  /** The core's log (PHI-redacted): the shell's updater logs here too. */
  readonly logger: Logger;
  invoke(channel: unknown, request: unknown, context: CallContext): Promise<IpcResult<unknown>>;
  /**
   * Delivers events to the hosts' windows, each only where allowed: PHI and device events only to a
   * signed-in, unlocked session of a role the event lists (main/ipc/event-fanout.ts).
   */
  forwardEvents(windows: () => readonly EventWindow[]): () => void;
  /** The window host's print-to-PDF and open-link services (the Electron shell or the Chromium host). */
  attachReviewHost(host: ReviewHost): void;
  /** How a nurse chooses a home-data file on this host (the Electron dialog; a stand-in in the Chromium host). */
  attachFilePicker(picker: HomeFilePicker): void;
  health(): Health;
  close(): Promise<void>;
}

export async function createCore(config: CoreConfig): Promise<Core> {
  const clock = config.clock ?? systemClock;
  // Every log line passes the PHI redactor; without a logger given, lines go to <dataDir>/logs/main.log.
  const logger = redactingLogger(config.logger ?? createFileLogger(path.resolve(config.dataDir)));
  const events = createEventBus();
  const startedAt = clock.now().toISOString();
  const dataDir = path.resolve(config.dataDir);
  let closed = false;
  const policyLoad = config.policy ?? (config.policyFile ? loadPolicyFile(config.policyFile) : noPolicy(''));
  let securityChoices: SecurityChoiceStore | undefined;
  const settings = createSettingsService({
    store: config.settingsStore ?? jsonFileSettingsStore(path.join(dataDir, 'settings.json')),
    policy: policyLoad,
    // The administrator's bounded security choices live in the encrypted database, once it is open.
    securityChoices: () => securityChoices,
    clock,
    defaults: {
      ...(config.clinicName ? { clinicName: config.clinicName } : {}),
      ...(config.workstationName ? { workstationName: config.workstationName } : {}),
    },
    logger,
  });
  /** This workstation's name as the administrator set it now: every audit record and import names it. */
  const workstationName = (): string => settings.effective().workstationName.value;

  // The core starts even when the database cannot open, so the UI can say why (health `database`);
  // PHI channels then answer with that same error through requireDb().
  let patientDb: PatientDatabase | undefined;
  let dbError: AppError | undefined;
  try {
    patientDb = await openPatientDatabase({ dataDir, keyProvider: config.dbKeyProvider, logger });
  } catch (error) {
    dbError = toDbAppError(error) ?? new AppError('INTERNAL', DB_MESSAGES.unavailable);
    // The cause as codes (a native module built for another runtime, a file-system or SQLite code), so
    // IT can tell why from the log; the redactor still keeps only codes.
    logger.error('db.open_failed', { ...openFailureFields(error), code: dbError.code });
  }
  if (patientDb) securityChoices = databaseSecurityChoiceStore(patientDb.db);
  const userUnits = patientDb ? databaseUserUnitStore(patientDb.db) : undefined;
  /** The open database, or the AppError that says why there is none. */
  const requireDb = (): PatientDatabase => {
    if (closed) throw new AppError('UNAVAILABLE', DB_MESSAGES.unavailable);
    if (!patientDb) throw dbError ?? new AppError('UNAVAILABLE', DB_MESSAGES.unavailable);
    return patientDb;
  };
  const records = patientDb
    ? {
        patients: patientRepository(patientDb.db, clock),
        encounters: encounterRepository(patientDb.db, clock),
        observations: observationRepository(patientDb.db, clock),
        reviews: reviewRepository(patientDb.db, clock),
        homeObservations: homeObservationRepository(patientDb.db),
      }
    : undefined;
  /** The repositories, or the AppError that says why the database is not open. */
  const requireRecords = (): NonNullable<typeof records> => {
    requireDb();
    return records!;
  };

  // FHIR sync: the outbox fills in the recording transaction; the worker sends when a server is configured.
  // An explicit config (tests, the Chromium host) wins; otherwise the policy's FHIR section as a whole:
  // the address, its credentials and the MRN system come from the one file only IT writes, so the
  // credentials can only ever go to the server that file names.
  const policyAuth = policyLoad.policy.fhir?.auth;
  // The SMART backend key lives wrapped by the OS key store; IT's PEM file is imported once (sync-key-store.ts).
  const syncKey =
    !config.fhir && policyLoad.policy.fhir?.baseUrl && policyAuth?.type === 'smart-backend'
      ? await loadSyncKey({ keyFile: policyAuth.keyFile, dataDir, wrapper: config.secretWrapper, logger })
      : undefined;
  const policySync = config.fhir ? undefined : syncConfigFromPolicy(policyLoad.policy.fhir, syncKey);
  const sync = createSyncService({
    requireDb: () => requireDb().db,
    database: patientDb?.db,
    config: config.fhir ?? (policySync?.status === 'configured' ? policySync.config : undefined),
    configProblem: policySync?.status === 'invalid' ? policySync.reason : undefined,
    events,
    clock,
    logger,
    // The trail opens below, before any pass can run (the worker's first pass waits for a timer).
    auditTrail: () => auditStore,
    workstation: workstationName,
  });

  const health = (): Health => ({
    appVersion: config.appVersion,
    dataDirectory: dataDir,
    status: closed || !patientDb ? 'error' : 'ready',
    services: [
      { name: 'ipc', status: 'ok' },
      patientDb
        ? {
            name: 'database',
            status: 'ok',
            ...(config.dbKeyProvider.warning ? { detail: config.dbKeyProvider.warning } : {}),
          }
        : {
            name: 'database',
            status: 'error',
            detail: (dbError ?? new AppError('UNAVAILABLE', DB_MESSAGES.unavailable)).message,
          },
      sync.health(),
    ],
    clinicName: settings.effective().clinicName.value,
    workstationName: settings.effective().workstationName.value,
    host: config.host,
    startedAt,
  });

  const deviceStore: AllowedDeviceStore =
    config.devices?.store ??
    (patientDb
      ? databaseDeviceStore(patientDb.db, clock)
      : {
          // Without the database there are no pairings to show, and none can be saved.
          list: () => [],
          save: () => {
            throw dbError ?? new AppError('UNAVAILABLE', DB_MESSAGES.unavailable);
          },
          remove: () => {
            throw dbError ?? new AppError('UNAVAILABLE', DB_MESSAGES.unavailable);
          },
        });
  const serialPortLister = config.devices?.serialPortLister ?? createSystemPortLister(logger);
  const devices = createDeviceManager({
    store: deviceStore,
    serial: {
      connector: createSerialConnector({
        clock,
        logger,
        lister: serialPortLister,
        allowPortsWithoutUsbIds: () =>
          config.devices?.allowSerialPortsWithoutUsbIds ??
          settings.policy.policy.allowSerialPortsWithoutUsbIds ??
          false,
        ...(config.devices?.serialPortFactory ? { openPort: config.devices.serialPortFactory } : {}),
      }),
      drivers: Object.values(SERIAL_DRIVERS).map((d) => ({ id: d.id, name: `${d.manufacturer} ${d.model}` })),
      listPorts: () => serialPortLister.list(),
    },
    bluetooth: bluetoothFromAdapter({
      adapter:
        config.devices?.bleAdapter ??
        (async () => (await import('./devices/ble/noble-adapter')).createNobleAdapter({ logger })),
      clock,
      logger,
      clockPolicy: () => ({
        toleranceMs: (settings.policy.policy.deviceClockToleranceMinutes ?? 5) * 60_000,
        setOnConnect: settings.policy.policy.setDeviceClockOnConnect ?? false,
      }),
    }),
    events,
    logger,
    clock,
    freshness: () => ({
      spotCheckMs: (settings.policy.policy.readingFreshSpotCheckSeconds ?? 30) * 1000,
      streamingMs: (settings.policy.policy.readingFreshStreamingSeconds ?? 5) * 1000,
    }),
    ...(config.devices?.waveformBatchMs !== undefined
      ? { waveformBatchMs: config.devices.waveformBatchMs }
      : {}),
    ...(config.devices?.reconnect ? { reconnect: config.devices.reconnect } : {}),
    isAllowedByPolicy: (device) => isDeviceAllowedByPolicy(settings.policy.policy.allowedDevices, device),
  });

  // Sign-in, roles and the audit trail. Accounts and the trail live in the encrypted database; the
  // sign-in policy (two-factor, idle lock) comes from the effective settings, so IT's policy file rules.
  const userStore = patientDb ? createUserStore(patientDb.db) : undefined;
  const auditStore = patientDb ? createAuditStore(patientDb.db, patientDb.auditHead) : undefined;
  const auditRecorder = createAuditRecorder({
    store: () => auditStore,
    clock,
    workstation: workstationName,
    logger,
  });
  const auth = createAuthService({
    users: () => {
      requireDb();
      return userStore!;
    },
    audit: auditRecorder,
    events,
    clock,
    logger,
    policy: () => {
      const s = settings.effective();
      return {
        requireTwoFactor: s.requireTwoFactor.value,
        idleLockMinutes: s.idleLockMinutes.value,
        reauthTwoFactorAfterMinutes: s.reauthTwoFactorAfterMinutes.value,
      };
    },
    issuer: () => `Vitals Desk (${settings.effective().clinicName.value})`,
    ...(config.passwordHashing ? { scrypt: config.passwordHashing } : {}),
  });

  /** Who recorded or started something: the signed-in user of the calling window (the authorizer has checked there is one). */
  const actorOf = (context: CallContext): string => {
    const userId = auth.actorOf(context.senderId).userId;
    if (!userId) throw new AppError('NOT_SIGNED_IN', 'Please sign in to continue.');
    return userId;
  };

  let reviewHost: ReviewHost | null = null;
  // Home data: each file is read and stored by a worker thread on its own connection to the database.
  let filePicker: HomeFilePicker = noFilePicker;
  const homeImport = createHomeImportService({
    database: () => requireDb().workerConnection(),
    picker: () => filePicker,
    maxBytes: () => settings.policy.policy.homeImportMaxBytes,
    csvMappings:
      config.csvMappingStore ??
      createCsvMappingStore(jsonFileCsvMappingBackend(path.join(dataDir, 'csv-mappings.json'))),
    audit: auditRecorder,
    workstation: workstationName,
    events,
    clock,
    onStored: () => sync.homeDataStored(),
  });
  const handlers: Handlers = {
    ...createAppHandlers({ health, clock }),
    ...createAuthHandlers({ auth }),
    ...createUsersHandlers({ auth }),
    ...createAuditHandlers({
      store: () => {
        requireDb();
        return auditStore!;
      },
      auth,
      audit: auditRecorder,
      clock,
      patientIdsByMrnOrName: (text) => requireRecords().patients.patientIdsByMrnOrName(text),
      compareWithServer: () => sync.compareAuditWithServer(),
    }),
    ...createSettingsHandlers({
      settings,
      audit: auditRecorder,
      actorOf: (senderId) => auth.actorOf(senderId),
      userUnits: () => userUnits,
      clock,
    }),
    ...createDevicesHandlers({
      devices,
      observations: () => requireRecords().observations,
      actorOf,
      events,
    }),
    ...createPatientHandlers({ patients: () => requireRecords().patients, actorOf, events }),
    ...createEncounterHandlers({ encounters: () => requireRecords().encounters, actorOf }),
    ...createObservationHandlers({
      observations: () => requireRecords().observations,
      actorOf,
      events,
    }),
    ...createDatabaseHandlers({
      database: requireDb,
      audit: auditRecorder,
      actorOf: (senderId) => auth.actorOf(senderId),
    }),
    ...createSyncHandlers({ sync }),
    ...createHomeDataHandlers({
      service: homeImport,
      homeObservations: () => requireRecords().homeObservations,
      homeEcgs: () => homeEcgRepository(requireDb().db),
      // getPatient answers NOT_FOUND itself.
      patientExists: (patientId) => requireRecords().patients.getPatient(patientId).id === patientId,
      actorOf: (senderId) => auth.actorOf(senderId),
    }),
    ...createReviewHandlers({
      reviews: () => requireRecords().reviews,
      encounters: () => requireRecords().encounters,
      patients: () => requireRecords().patients,
      observations: () => requireRecords().observations,
      rules: () => settings.policy.policy,
      host: () => reviewHost,
      clock,
      db: () => requireDb().db,
      // The signer's name and role as the session has them now, kept with the sign-off.
      signerOf: (context) => {
        const user = auth.status(context.senderId).user;
        if (!user) throw new AppError('NOT_SIGNED_IN', 'Please sign in to continue.');
        return { userId: user.id, displayName: user.displayName, role: user.role };
      },
    }),
  };

  const dispatcher: Dispatcher = createDispatcher({
    handlers,
    authorize: createAuthorizer(auth),
    logger,
    audit: createPhiAuditHook({ recorder: auditRecorder, actorOf: (senderId) => auth.actorOf(senderId) }),
    // A change and its audit record are saved together or not at all.
    atomic: (channel) =>
      patientDb && ATOMIC_AUDITED_WRITES.has(channel)
        ? (work) => patientDb.db.transaction(work).immediate()
        : undefined,
    changeNotRecordedMessage: AUDIT_NOT_RECORDED_CHANGE,
  });

  const eventFanOut = createEventFanOut({
    events,
    activeRoleOf: (senderId) => {
      try {
        return auth.requireActiveSession(senderId).role;
      } catch {
        // Signed out, locked, mid sign-in, or the database is closed: no PHI events.
        return null;
      }
    },
  });

  const idleSweepMs = config.idleSweepMs ?? 15_000;
  const idleSweep =
    idleSweepMs > 0 && patientDb
      ? setInterval(() => {
          try {
            auth.sweep();
          } catch (error) {
            logger.error('auth.sweep_failed', { error: error instanceof Error ? error.name : typeof error });
          }
        }, idleSweepMs)
      : undefined;
  idleSweep?.unref();

  const heartbeatMs = config.heartbeatMs ?? 5000;
  const heartbeat =
    heartbeatMs > 0
      ? setInterval(
          () => events.emit('app.heartbeat', { at: clock.now().toISOString(), status: health().status }),
          heartbeatMs,
        )
      : undefined;
  heartbeat?.unref();

  logger.info('core.started', { host: config.host, version: config.appVersion });

  return {
    events,
    clock,
    settings,
    db: patientDb?.db,
    logger,
    invoke: (channel, request, context) => dispatcher.dispatch(channel, request, context),
    forwardEvents: (windows) => eventFanOut.forward(windows),
    attachReviewHost: (host) => {
      reviewHost = host;
    },
    attachFilePicker: (picker) => {
      filePicker = picker;
    },
    health,
    async close() {
      if (closed) return;
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      if (idleSweep) clearInterval(idleSweep);
      await devices.close();
      await homeImport.close();
      await sync.close();
      patientDb?.close();
      logger.info('core.closed');
    },
  };
}

export type { ChannelName };
