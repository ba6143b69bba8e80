/**
 * The record loop of the kill tests' child processes: records heart rates one by one and prints each
 * id only after recordObservation has returned (the commit is acknowledged), then runs `afterEach`
 * (e.g. a key rotation), until the parent SIGKILLs the process.
 */
import { writeSync } from 'node:fs';
import type { observationRepository } from '../../../main/db/repositories/observations';

export async function recordAcknowledgedForever(
  observations: ReturnType<typeof observationRepository>,
  patientId: string,
  author: string,
  afterEach: () => void | Promise<void> = () => undefined,
): Promise<never> {
  writeSync(1, 'ready\n');
  for (let i = 0; ; i++) {
    const observation = observations.recordObservation(
      {
        patientId,
        kind: 'heartRate',
        value: 40 + (i % 100),
        effectiveAt: new Date().toISOString(),
        method: 'manual',
      },
      author,
    );
    // writeSync: the line is in the pipe before the next step starts, so nothing acknowledged is lost in a buffer.
    writeSync(1, `${observation.id}\n`);
    await afterEach();
  }
}
