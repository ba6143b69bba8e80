import { afterEach, describe, expect, it } from 'vitest';
import { startWorkstation, type Workstation } from './harness';

let ws: Workstation | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

describe('app frame in the real renderer, talking to the real core', () => {
  it('shows the workstation, the navigation and the health panel fetched over the bridge', async () => {
    ws = await startWorkstation({ core: { clinicName: 'Riverside Clinic', workstationName: 'Intake 2' } });
    const { page } = ws;
    await expect
      .poll(() => page.getByTestId('workstation').textContent())
      .toBe('Riverside Clinic · Intake 2');
    for (const label of ['Intake', 'Review', 'Devices', 'Settings']) {
      expect(
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: new RegExp(label) })
          .count(),
      ).toBe(1);
    }
    await page.getByRole('link', { name: /Settings/ }).click();
    await expect.poll(() => page.getByTestId('app-version').textContent()).toBe('0.1.0-e2e');
    expect(await page.getByTestId('data-directory').textContent()).toBe(ws.dataDir);
    expect(await page.getByTestId('core-status').textContent()).toBe('Ready');
    expect(await page.getByRole('link', { name: /Settings/ }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('status').first().textContent()).toContain('Workstation connected');
    await ws.screenshot('frame-settings-health');
  });

  it('navigates with Alt+number shortcuts', async () => {
    ws = await startWorkstation();
    const { page } = ws;
    await page.getByTestId('workstation').waitFor();
    await page.keyboard.press('Alt+4');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/settings');
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/review');
  });

  it('rejects a bad payload from the renderer with a clear, typed error', async () => {
    ws = await startWorkstation();
    const result = await ws.page.evaluate(() =>
      (window as unknown as { vitals: { invoke(c: string, r: unknown): Promise<unknown> } }).vitals.invoke(
        'app.echo',
        { text: 5 },
      ),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', issues: [{ path: 'text' }] } });
    const unknown = await ws.page.evaluate(() =>
      (window as unknown as { vitals: { invoke(c: string, r: unknown): Promise<unknown> } }).vitals.invoke(
        'fs.readFile',
        {},
      ),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('delivers main → renderer events to the page', async () => {
    ws = await startWorkstation();
    const { page, core } = ws;
    await page.getByTestId('workstation').waitFor();
    await page.evaluate(() => {
      const w = window as unknown as {
        vitals: { on(e: string, l: (p: unknown) => void): void };
        seen: unknown[];
      };
      w.seen = [];
      w.vitals.on('app.heartbeat', (p) => w.seen.push(p));
    });
    core.events.emit('app.heartbeat', { at: '2026-01-01T00:00:00.000Z', status: 'ready' });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { seen: unknown[] }).seen))
      .toEqual([{ at: '2026-01-01T00:00:00.000Z', status: 'ready' }]);
  });

  it('exposes only invoke, on and dropFile to the renderer: no Node, no Electron', async () => {
    ws = await startWorkstation();
    const surface = await ws.page.evaluate(() => ({
      keys: Object.keys((window as unknown as { vitals: object }).vitals).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(surface).toEqual({
      keys: ['dropFile', 'invoke', 'on'],
      require: 'undefined',
      process: 'undefined',
    });
  });
});
