/**
 * Intake responsiveness, measured on the real path: a simulated pulse oximeter writes Nonin bytes into a
 * socat pseudo-terminal; the core parses them and emits the reading; the built renderer in Chromium
 * shows it. Latency is from the moment the bytes are written to the moment the value is in the DOM,
 * both stamped on the machine's wall clock (performance.timeOrigin + performance.now() in each process).
 * Also: time from start (core + browser) to the first screen, and from sign-in to the patient finder.
 */
import { performance } from 'node:perf_hooks';
import { encodeNonin8 } from '../main/devices/serial/drivers/nonin-8';
import { startWorkstation } from '../test/e2e/harness';
import { createPtyPair } from '../test/sim/serial/pty';
import { signInAs } from '../test/support/session';
import { createReport, percentile } from './report';

const READINGS = Number(process.env.BENCH_INTAKE_READINGS ?? 500);
const now = () => performance.timeOrigin + performance.now();

export default async function run(): Promise<void> {
  const report = createReport('intake');
  const started = now();
  const ws = await startWorkstation({ route: 'intake', signIn: false });
  try {
    const { page, core } = ws;
    // A fresh workstation opens on its first-run setup screen: the first thing a person can use.
    await page.getByRole('heading', { name: 'Set up Vitals Desk' }).waitFor();
    const firstScreen = now() - started;

    const nurse = await signInAs(core, 'nurse', 'chromium-page-1');
    const call = async (channel: string, request: unknown) => {
      const result = await core.invoke(channel, request, { senderId: nurse.senderId });
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
      return result.value as { id: string };
    };
    const pty = await createPtyPair(ws.dataDir, 'bench-oximeter');
    const device = await call('devices.pair', {
      name: 'Bench oximeter',
      transport: 'serial',
      driver: 'serial.nonin-8',
      address: pty.portPath,
    });
    await call('patients.register', {
      mrn: 'BENCH-1',
      family: 'Bench',
      given: 'Patient',
      birthDate: '1970-01-01',
      sex: 'unknown',
    });

    const signedIn = now();
    await page.reload();
    await page.getByRole('heading', { name: 'Find the patient' }).waitFor();
    const finderReady = now() - signedIn;

    await page.getByLabel('MRN, name or birth date (YYYY-MM-DD)').fill('BENCH-1');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('patient-banner').waitFor();
    await call('devices.connect', { id: device.id });

    // Stamp every change of the live SpO2 value inside the page, so polling from here adds nothing.
    await page.evaluate(() => {
      const log: { text: string; at: number }[] = [];
      (window as unknown as { __liveLog: typeof log }).__liveLog = log;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="vital-spo2-live-value"]');
        const text = el?.textContent ?? '';
        if (text && log.at(-1)?.text !== text)
          log.push({ text, at: performance.timeOrigin + performance.now() });
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const latencies: number[] = [];
    for (let i = 0; i < READINGS; i += 1) {
      const spo2 = 90 + (i % 10); // consecutive readings always differ, so each one changes the DOM
      const writtenAt = now();
      pty.write(encodeNonin8({ heartRate: 70, spo2 }));
      const shownAt = await page.waitForFunction(
        ([n, text]) => {
          const log = (window as unknown as { __liveLog: { text: string; at: number }[] }).__liveLog;
          return log.length >= n && log[n - 1]?.text === text ? log[n - 1]!.at : false;
        },
        [i + 1, `${spo2} %`] as const,
        { polling: 5, timeout: 5000 },
      );
      latencies.push(((await shownAt.jsonValue()) as number) - writtenAt);
    }
    await pty.close();

    report.figure('reading-to-dom-p50', percentile(latencies, 50), 'ms', '<', 50);
    report.figure('reading-to-dom-p99', percentile(latencies, 99), 'ms', '<', 50);
    report.figure('start-to-first-screen', firstScreen, 'ms', '<', 5000);
    report.figure('sign-in-to-patient-finder', finderReady, 'ms', '<', 2000);
    report.write({ readings: READINGS });
  } finally {
    await ws.close();
  }
}
