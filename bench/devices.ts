/**
 * `npm run bench -- devices`: serial device figures.
 *  - parser throughput per serial format (frames/s, target >= 1M/s each);
 *  - latency from the last byte of a record written to a socat pseudo-terminal to the `devices.reading`
 *    event on the core's event bus (the real core: IPC, encrypted DB, device manager, serial connector);
 *  - a Nonin #2 pleth stream written at the real 75 Hz (frame by frame) for BENCH_PLETH_SECONDS
 *    (default 600 = 10 minutes): samples sent vs received in `devices.waveform` batches, dropped samples,
 *    and heap growth from the first minute (or first tenth) to the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createCore, type Core } from '../main/core';
import { memoryKeyProvider } from '../main/db/keys';
import { createAndScaleParser } from '../main/devices/serial/drivers/and-scale';
import { createNonin2Parser, encodeNonin2Packet } from '../main/devices/serial/drivers/nonin-2';
import { createNonin7Parser, encodeNonin7Packet } from '../main/devices/serial/drivers/nonin-7';
import { createNonin8Parser, encodeNonin8 } from '../main/devices/serial/drivers/nonin-8';
import type { DriverOutput, FrameParser } from '../main/devices/serial/drivers/types';
import type { DeviceReading, WaveformBatch } from '../shared/devices/reading';
import { createPtyPair } from '../test/sim/serial/pty';
import { signInAs } from '../test/support/session';
import { createReport, percentile } from './report';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const report = createReport('devices');

/** Frames per second through one parser, fed in 1 KiB chunks (a generous serial read), best of 3 runs. */
function throughput(
  make: () => FrameParser,
  stream: Uint8Array,
  frames: number,
  expectMeasurements: number,
): number {
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const parser = make();
    let measurements = 0;
    const emit = (o: DriverOutput) => {
      if (o.type === 'measurement') measurements++;
    };
    const start = performance.now();
    for (let i = 0; i < stream.length; i += 1024) parser.push(stream.subarray(i, i + 1024), emit);
    const seconds = (performance.now() - start) / 1000;
    if (measurements !== expectMeasurements)
      throw new Error(`parser produced ${measurements}, expected ${expectMeasurements}`);
    best = Math.max(best, frames / seconds);
  }
  return best;
}

function parserThroughput() {
  const n8 = 2_000_000;
  const records: Uint8Array[] = [];
  for (let i = 0; i < 1000; i++)
    records.push(encodeNonin8({ heartRate: 60 + (i % 60), spo2: 90 + (i % 10) }));
  const block8 = Buffer.concat(records);
  const stream8 = Buffer.concat(Array.from({ length: n8 / 1000 }, () => block8));
  report.figure(
    'nonin8_parse_rate',
    throughput(createNonin8Parser, stream8, n8, n8),
    'frames/s',
    '>=',
    1_000_000,
  );

  const packets = 80_000; // 2M frames
  const pleth = Array.from({ length: 25 }, (_, i) => i * 9);
  const block2 = Buffer.concat(
    Array.from({ length: 100 }, (_, i) => encodeNonin2Packet({ heartRate: 70 + (i % 20), spo2: 97, pleth })),
  );
  const stream2 = Buffer.concat(Array.from({ length: packets / 100 }, () => block2));
  report.figure(
    'nonin2_parse_rate',
    throughput(createNonin2Parser, stream2, packets * 25, packets),
    'frames/s',
    '>=',
    1_000_000,
  );

  // Format #7: 16-bit pleth, no start byte (frames found by status bit 7, value bit 7 and checksum).
  const pleth7 = Array.from({ length: 25 }, (_, i) => 0x8000 + i * 700);
  const colours = ['green', 'none', 'none', 'yellow', 'none', 'red'] as const;
  const block7 = Buffer.concat(
    Array.from({ length: 100 }, (_, i) =>
      encodeNonin7Packet({ heartRate: 70 + (i % 20), spo2: 97, pleth: pleth7, perfusion: colours[i % 6]! }),
    ),
  );
  const stream7 = Buffer.concat(Array.from({ length: packets / 100 }, () => block7));
  report.figure(
    'nonin7_parse_rate',
    throughput(createNonin7Parser, stream7, packets * 25, packets),
    'frames/s',
    '>=',
    1_000_000,
  );

  const lines = 1_000_000;
  const encoder = new TextEncoder();
  const blockA = encoder.encode(
    Array.from(
      { length: 1000 },
      (_, i) => `ST,+${(50 + (i % 50) + 0.05).toFixed(2).padStart(8, '0')} kg\r\n`,
    ).join(''),
  );
  const streamA = Buffer.concat(Array.from({ length: lines / 1000 }, () => blockA));
  report.figure(
    'and_scale_parse_rate',
    throughput(createAndScaleParser, streamA, lines, lines),
    'frames/s',
    '>=',
    1_000_000,
  );
}

async function startCore(dataDir: string): Promise<{ core: Core; senderId: string }> {
  const core = await createCore({
    dataDir,
    appVersion: 'bench',
    host: 'chromium',
    heartbeatMs: 0,
    dbKeyProvider: memoryKeyProvider(),
    // The bench's oximeter is a pseudo-terminal, which has no USB ids: allowed as a test configuration would.
    devices: { allowSerialPortsWithoutUsbIds: true },
    // Without a logger the core writes a log file in the data directory, as the app does.
  });
  const nurse = await signInAs(core, 'nurse');
  return { core, senderId: nurse.senderId };
}

async function pairAndConnect(
  core: Core,
  senderId: string,
  driver: string,
  address: string,
): Promise<string> {
  const paired = await core.invoke(
    'devices.pair',
    { name: driver, transport: 'serial', driver, address },
    { senderId },
  );
  if (!paired.ok) throw new Error(paired.error.message);
  const id = (paired.value as { id: string }).id;
  const connected = await core.invoke('devices.connect', { id }, { senderId });
  if (!connected.ok) throw new Error(connected.error.message);
  return id;
}

async function readingLatency(dataDir: string) {
  const samples = Number(process.env.BENCH_LATENCY_SAMPLES ?? 500);
  const { core, senderId } = await startCore(path.join(dataDir, 'latency'));
  const pty = await createPtyPair(dataDir, 'latency');
  let resolveReading: ((at: number) => void) | undefined;
  core.events.subscribe((name) => {
    if (name === 'devices.reading' && resolveReading) resolveReading(performance.now());
  });
  await pairAndConnect(core, senderId, 'serial.nonin-8', pty.portPath);
  const latencies: number[] = [];
  for (let i = 0; i < samples + 20; i++) {
    const record = encodeNonin8({ heartRate: 60 + (i % 40), spo2: 97 });
    const arrived = new Promise<number>((resolve) => (resolveReading = resolve));
    pty.write(record);
    const written = performance.now(); // writeSync has returned: the last byte is in the pty
    const at = await Promise.race([
      arrived,
      new Promise<number>((r) => setTimeout(() => r(Number.NaN), 2000)),
    ]);
    if (Number.isNaN(at)) throw new Error('a reading did not arrive within 2 s');
    if (i >= 20) latencies.push(at - written); // first 20: warm-up (JIT, first opens)
    await new Promise((r) => setTimeout(r, 10));
  }
  report.figure('reading_latency_p50', percentile(latencies, 50), 'ms', '<', 20);
  report.figure('reading_latency_p99', percentile(latencies, 99), 'ms', '<', 20);
  await core.close();
  await pty.close();
  return { latencySamples: latencies.length };
}

async function plethStream(dataDir: string) {
  const seconds = Number(process.env.BENCH_PLETH_SECONDS ?? 600);
  const { core, senderId } = await startCore(path.join(dataDir, 'pleth'));
  const pty = await createPtyPair(dataDir, 'pleth');
  let received = 0;
  let gaps = 0;
  let expectedFirst = 0;
  let readings = 0;
  core.events.subscribe((name, payload) => {
    if (name === 'devices.waveform') {
      const batch = payload as WaveformBatch;
      if (batch.firstSample !== expectedFirst) gaps++;
      expectedFirst = batch.firstSample + batch.samples.length;
      received += batch.samples.length;
    }
    if (name === 'devices.reading') readings += (payload as DeviceReading).values.length > 0 ? 1 : 0;
  });
  const id = await pairAndConnect(core, senderId, 'serial.nonin-2', pty.portPath);

  // One packet's frames, re-encoded per frame as the device does; pleth follows a pulse-like curve.
  let sent = 0;
  const frameAt = (n: number) => {
    const inPacket = n % 25;
    const packet = encodeNonin2Packet({
      heartRate: 72,
      spo2: 97,
      pleth: Array.from({ length: 25 }, (_, i) =>
        Math.round(128 + 100 * Math.sin(((n - inPacket + i) / 75) * 2 * Math.PI * 1.2)),
      ),
    });
    return packet.subarray(inPacket * 5, inPacket * 5 + 5);
  };
  const start = performance.now();
  const warmAt = Math.min(60, seconds / 10) * 1000;
  let heapWarm: number | undefined;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.min(Math.floor((elapsed / 1000) * 75), seconds * 75);
      while (sent < due) pty.write(frameAt(sent++));
      if (heapWarm === undefined && elapsed >= warmAt) {
        gc();
        heapWarm = process.memoryUsage().heapUsed;
      }
      if (sent >= seconds * 75) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  await new Promise((r) => setTimeout(r, 500)); // the last batch
  await core.invoke('devices.disconnect', { id }, { senderId });
  gc();
  const heapEnd = process.memoryUsage().heapUsed;
  report.figure('pleth_samples_sent', sent, 'samples', '==', seconds * 75);
  report.figure('pleth_samples_received', received, 'samples', '==', sent);
  report.figure('pleth_dropped', sent - received, 'samples', '==', 0);
  report.figure('pleth_sequence_gaps', gaps, 'gaps', '==', 0);
  report.figure('pleth_heap_growth', (heapEnd - (heapWarm ?? heapEnd)) / 1024 / 1024, 'MB', '<=', 5);
  await core.close();
  await pty.close();
  return { plethSeconds: seconds, plethReadings: readings, realTime: true };
}

export default async function run(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vd-bench-devices-'));
  // The machine's load matters for the latency tail: recorded with the figures.
  const loadBefore = os.loadavg();
  try {
    parserThroughput();
    // The throughput phase leaves tens of MB of garbage; collect it so its GC does not land in the latency phase.
    gc();
    const latency = await readingLatency(dataDir);
    const pleth = await plethStream(dataDir);
    const file = report.write({
      ...latency,
      ...pleth,
      cpus: os.cpus().length,
      loadAverage1mBefore: loadBefore[0],
      loadAverage1mAfter: os.loadavg()[0],
    });
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
