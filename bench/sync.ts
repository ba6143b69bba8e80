/**
 * `npm run bench -- sync`: store-and-forward sync of 10k queued observations to a FHIR server on loopback
 * (Medplum's router over HTTP, the same server the tests use), against a plain POST of the same
 * transaction bundles without the outbox (no pending query, no mapping, no marking sent).
 * Each POSTed bundle is followed by the Provenance of its observations, targeting the versions the answer
 * names, as the worker sends them.
 * Each run gets a fresh server, so conditional creates do the same work in both; rounds alternate and
 * the medians are reported. The ratio is the cost
 * of the outbox's bookkeeping and the mapping relative to the HTTP + server work itself.
 * A second pair of runs sends the same queue with the policy's default transaction size (100 entries) to
 * a server that takes large transactions and to Medplum with its default limits, which the worker learns
 * by being refused: the throughput against Medplum and its time relative to the large-transaction server.
 * BENCH_SYNC_N overrides the count (default 10 000).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Bundle } from '@medplum/fhirtypes';
import { openDatabase } from '../main/db/connection';
import { observationRepository } from '../main/db/repositories/observations';
import { patientRepository } from '../main/db/repositories/patients';
import { silentLogger } from '../main/logging/logger';
import { systemClock } from '../main/platform/clock';
import { createFhirClient } from '../main/sync/fhir-client';
import { createOutbox } from '../main/sync/outbox';
import { createSyncWorker } from '../main/sync/worker';
import { buildProvenanceBundle, buildSyncBundle, countSyncEntries } from '../shared/fhir/sync-bundle';
import { startFhirServer } from '../test/support/fhir-server';
import { createReport } from './report';

const N = Number(process.env.BENCH_SYNC_N ?? 10_000);
const PATIENTS = 50;
const ROUNDS = Number(process.env.BENCH_SYNC_ROUNDS ?? 3);
/** Medplum accepts at most 8 entries in a transaction with conditional entries. */
const MAX_ENTRIES = 8;

export default async function run(): Promise<void> {
  const report = createReport('sync');
  // The machine is shared: its load says how far the figures can be trusted.
  const loadBefore = os.loadavg();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vd-bench-sync-'));
  try {
    const db = openDatabase({
      file: path.join(dir, 'vitals.db'),
      key: randomBytes(32),
      integrityCheck: 'none',
    });
    const patients = patientRepository(db);
    const observations = observationRepository(db);
    const ids = Array.from(
      { length: PATIENTS },
      (_, i) =>
        patients.registerPatient({
          mrn: `BENCH-${i}`,
          family: `Family${i}`,
          given: `Given${i}`,
          birthDate: '1960-01-01',
          sex: 'unknown',
        }).id,
    );
    const start = Date.now() - N * 1000;
    for (let i = 0; i < N; i += 1) {
      observations.recordObservation(
        {
          patientId: ids[i % PATIENTS] as string,
          kind: 'heartRate',
          value: 50 + (i % 80),
          effectiveAt: new Date(start + i * 1000).toISOString(),
          method: 'manual',
        },
        'bench-nurse',
      );
    }
    const outbox = createOutbox(db, systemClock);

    // Baseline: the same bundles the worker sends, prebuilt, POSTed one after another; each followed by
    // the Provenance of its observations (built from the answer, as the worker must: it names the version).
    const pending = outbox.pending(N);
    const bundles: { bundle: Bundle; units: (typeof pending)[number]['unit'][] }[] = [];
    for (let i = 0; i < pending.length;) {
      let take = 1;
      while (
        i + take < pending.length &&
        countSyncEntries(pending.slice(i, i + take + 1).map((e) => e.unit)) <= MAX_ENTRIES
      ) {
        take += 1;
      }
      const units = pending.slice(i, i + take).map((e) => e.unit);
      bundles.push({ bundle: buildSyncBundle(units).bundle, units });
      i += take;
    }
    const plainRun = async (): Promise<number> => {
      const server = await startFhirServer();
      const t0 = performance.now();
      const post = async (bundle: Bundle): Promise<Bundle> => {
        const response = await fetch(server.baseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
          body: JSON.stringify(bundle),
        });
        if (!response.ok) throw new Error(`baseline POST failed: ${response.status}`);
        return (await response.json()) as Bundle;
      };
      for (const { bundle, units } of bundles) {
        const answer = await post(bundle);
        const observations = (answer.entry ?? []).filter((e) =>
          e.response?.location?.startsWith('Observation/'),
        );
        await post(
          buildProvenanceBundle(
            units.map((unit, k) => ({
              observation: unit.observation,
              target: `${observations[k]?.response?.location}/_history/${observations[k]?.resource?.meta?.versionId}`,
            })),
          ),
        );
      }
      const ms = performance.now() - t0;
      await server.close();
      return ms;
    };

    // The outbox: from pending rows to confirmed-sent rows. Between rounds the bench puts every entry
    // back to pending (only the bench does this).
    const syncRun = async (): Promise<number> => {
      db.prepare(
        "UPDATE sync_outbox SET state = 'pending', attempts = 0, sent_at = NULL, remote_id = NULL",
      ).run();
      const server = await startFhirServer();
      const worker = createSyncWorker({
        outbox,
        client: createFhirClient({ baseUrl: server.baseUrl, auth: { kind: 'none' } }),
        logger: silentLogger,
        batchSize: 50,
        maxTransactionEntries: MAX_ENTRIES,
      });
      const t0 = performance.now();
      const result = await worker.runOnce();
      const ms = performance.now() - t0;
      const onServer = await server.search('Observation', `_count=${N + 1}`);
      await server.close();
      if (!result.ok || result.sent !== N || onServer.length !== N || outbox.summary().queueLength !== 0) {
        throw new Error(`sync incomplete: ${JSON.stringify(result)}, ${onServer.length} on the server`);
      }
      return ms;
    };

    // The policy's default transaction size (100 entries) against two servers: one that takes a
    // transaction of any size, and Medplum with its default limits (8 entries once any is conditional),
    // where the worker must learn the size by being refused. Each run starts with nothing learnt.
    const adaptiveRun = async (limits: 'medplum' | 'unlimited'): Promise<{ ms: number; size: number }> => {
      db.prepare(
        "UPDATE sync_outbox SET state = 'pending', attempts = 0, sent_at = NULL, remote_id = NULL",
      ).run();
      db.prepare("DELETE FROM sync_state WHERE key LIKE 'maxEntries:%'").run();
      const server = await startFhirServer({ transactionLimits: limits });
      const worker = createSyncWorker({
        outbox,
        client: createFhirClient({ baseUrl: server.baseUrl, auth: { kind: 'none' } }),
        logger: silentLogger,
        batchSize: 50,
      });
      const t0 = performance.now();
      const result = await worker.runOnce();
      const ms = performance.now() - t0;
      const onServer = await server.search('Observation', `_count=${N + 1}`);
      await server.close();
      if (!result.ok || result.sent !== N || onServer.length !== N) {
        throw new Error(
          `adaptive sync incomplete: ${JSON.stringify(result)}, ${onServer.length} on the server`,
        );
      }
      return { ms, size: outbox.transactionLimit(server.baseUrl) ?? 100 };
    };

    // Interleaved rounds, medians: the machine is shared, so single runs are noisy.
    const large: number[] = [];
    const limited: number[] = [];
    let learnt = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      large.push((await adaptiveRun('unlimited')).ms);
      const run = await adaptiveRun('medplum');
      limited.push(run.ms);
      learnt = run.size;
    }

    const plain: number[] = [];
    const synced: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      plain.push(await plainRun());
      synced.push(await syncRun());
    }
    db.close();
    const median = (xs: number[]): number =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const plainMs = median(plain);
    const syncMs = median(synced);
    const largeMs = median(large);
    const limitedMs = median(limited);

    report.figure('outbox_sync_10k', syncMs / 1000, 's', '<=', 600);
    report.figure('plain_post_10k', plainMs / 1000, 's', '<=', 600);
    report.figure('outbox_overhead_ratio', syncMs / plainMs, 'x', '<=', 1.5);
    report.figure('outbox_throughput', N / (syncMs / 1000), 'obs/s', '>=', 50);
    report.figure('medplum_default_limits_throughput', N / (limitedMs / 1000), 'obs/s', '>=', 200);
    report.figure('medplum_default_limits_vs_large_transactions', limitedMs / largeMs, 'x', '<=', 1.5);
    const file = report.write({
      observations: N,
      transactions: bundles.length,
      maxEntriesPerTransaction: MAX_ENTRIES,
      rounds: ROUNDS,
      plainSeconds: plain.map((ms) => Number((ms / 1000).toFixed(3))),
      outboxSeconds: synced.map((ms) => Number((ms / 1000).toFixed(3))),
      policyMaxEntriesPerTransaction: 100,
      largeTransactionServerSeconds: large.map((ms) => Number((ms / 1000).toFixed(3))),
      medplumDefaultLimitsSeconds: limited.map((ms) => Number((ms / 1000).toFixed(3))),
      learntEntriesPerTransaction: learnt,
      server: 'Medplum FhirRouter + MemoryRepository (identifier-indexed) over node:http on 127.0.0.1',
      cpus: os.cpus().length,
      loadAverage1mBefore: Number(loadBefore[0]?.toFixed(2)),
      loadAverage1mAfter: Number(os.loadavg()[0]?.toFixed(2)),
    });
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
