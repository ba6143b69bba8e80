import { describe, expect, it } from 'vitest';
import { createCore } from '../../../main/core';
import { AppError } from '../../../shared/ipc';
import {
  AUDIT_NOT_RECORDED,
  ChangeNotRecordedError,
  createDispatcher,
  type Handlers,
} from '../../../main/ipc/dispatcher';
import { memoryLogger } from '../../../main/logging/logger';
import { memoryKeyProvider } from '../../../main/db/keys';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const context = { senderId: 'test' };

async function makeCore() {
  return createCore({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'vd-ipc-')),
    appVersion: '9.9.9',
    host: 'chromium',
    heartbeatMs: 0,
    // A real encrypted DB file in the temp dir; the key is held in memory for the test.
    dbKeyProvider: memoryKeyProvider(),
  });
}

describe('IPC dispatcher', () => {
  it('answers a valid request with the value the contract declares', async () => {
    const core = await makeCore();
    const result = await core.invoke('app.echo', { text: 'hello' }, context);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject({ text: 'hello' });
    await core.close();
  });

  it('rejects a payload that fails the schema with BAD_REQUEST and field issues', async () => {
    const core = await makeCore();
    const result = await core.invoke('app.echo', { text: 42 }, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    if (!result.ok) expect(result.error.issues?.[0]?.path).toBe('text');
    const extra = await core.invoke('app.echo', { text: 'x', sneaky: true }, context);
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    await core.close();
  });

  it('rejects an unknown channel, including prototype names', async () => {
    const core = await makeCore();
    for (const name of ['app.nothing', '__proto__', 'constructor', 42, null]) {
      const result = await core.invoke(name, {}, context);
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    await core.close();
  });

  it('passes AppError through as data, hides unexpected errors, and strips undeclared response fields', async () => {
    const logger = memoryLogger();
    let mode: 'app' | 'crash' | 'leak' = 'app';
    const handlers = {
      'app.echo': () => {
        if (mode === 'app') throw new AppError('VALIDATION', 'Too long for a note.');
        if (mode === 'crash') throw new TypeError('patient Jane Doe broke it');
        return { text: 'ok', receivedAt: 'now', secret: 'should not cross' };
      },
    } as unknown as Handlers;
    const dispatcher = createDispatcher({ handlers, authorize: () => undefined, logger });
    expect(await dispatcher.dispatch('app.echo', { text: 'a' }, context)).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'Too long for a note.' },
    });
    mode = 'crash';
    const crashed = await dispatcher.dispatch('app.echo', { text: 'a' }, context);
    expect(crashed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(crashed)).not.toContain('Jane');
    mode = 'leak';
    expect(await dispatcher.dispatch('app.echo', { text: 'a' }, context)).toEqual({
      ok: true,
      value: { text: 'ok', receivedAt: 'now' },
    });
  });

  it('asks the authorizer before running a handler', async () => {
    let ran = false;
    const handlers = {
      'app.echo': () => ((ran = true), { text: 'x', receivedAt: 'y' }),
    } as unknown as Handlers;
    const dispatcher = createDispatcher({
      handlers,
      authorize: () => {
        throw new AppError('NOT_SIGNED_IN', 'Please sign in.');
      },
      logger: memoryLogger(),
    });
    const result = await dispatcher.dispatch('app.echo', { text: 'a' }, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(ran).toBe(false);
  });

  it('undoes a change whose audit record cannot be written, newest step first, and says so', async () => {
    const steps: string[] = [];
    let auditWorks = true;
    let undoWorks = true;
    const handlers = {
      'app.echo': (_request: unknown, call: { undoIfUnrecorded?: (undo: () => void) => void }) => {
        steps.push('change');
        call.undoIfUnrecorded?.(() => void steps.push('undo first step'));
        call.undoIfUnrecorded?.(() => {
          if (!undoWorks) throw new Error('undo failed');
          steps.push('undo second step');
        });
        return { text: 'x', receivedAt: 'y' };
      },
    } as unknown as Handlers;
    const logger = memoryLogger();
    const dispatcher = createDispatcher({
      handlers,
      authorize: () => undefined,
      logger,
      audit: () => {
        if (!auditWorks) throw new Error('audit store refused');
      },
      changeNotRecordedMessage: 'The change was not saved.',
    });
    // Recorded: nothing is undone.
    expect(await dispatcher.dispatch('app.echo', { text: 'a' }, context)).toMatchObject({ ok: true });
    expect(steps).toEqual(['change']);
    auditWorks = false;
    steps.length = 0;
    expect(await dispatcher.dispatch('app.echo', { text: 'a' }, context)).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'The change was not saved.' },
    });
    expect(steps).toEqual(['change', 'undo second step', 'undo first step']);
    // An undo that fails: every other undo still runs, and the answer does not claim nothing was saved.
    undoWorks = false;
    steps.length = 0;
    expect(await dispatcher.dispatch('app.echo', { text: 'a' }, context)).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: AUDIT_NOT_RECORDED },
    });
    expect(steps).toEqual(['change', 'undo first step']);
    expect(logger.records.map((e) => e.event)).toContain('ipc.undo_failed');
  });

  it('a handler that records its own change and cannot: its change is undone; a deferred change is never made', async () => {
    const steps: string[] = [];
    let recordWorks = false;
    const handlers = {
      // Records its change itself (as settings.update does, with old and new values).
      'app.echo': (_request: unknown, call: { undoIfUnrecorded?: (undo: () => void) => void }) => {
        steps.push('change');
        call.undoIfUnrecorded?.(() => void steps.push('undone'));
        if (!recordWorks) throw new ChangeNotRecordedError();
        return { text: 'x', receivedAt: 'y' };
      },
      // Leaves its change until it is recorded (as a held reading's discard does).
      'devices.discardHeldReading': (
        request: { readingId: string },
        call: { afterSaved?: (then: () => void) => void },
      ) => {
        call.afterSaved?.(() => void steps.push('deferred change'));
        return { readingId: request.readingId };
      },
    } as unknown as Handlers;
    const dispatcher = createDispatcher({
      handlers,
      authorize: () => undefined,
      logger: memoryLogger(),
      audit: (call) => {
        if (call.channel === 'devices.discardHeldReading' && !recordWorks)
          throw new Error('audit store refused');
      },
      changeNotRecordedMessage: 'The change was not saved.',
    });
    const notSaved = { ok: false, error: { code: 'UNAVAILABLE', message: 'The change was not saved.' } };
    expect(await dispatcher.dispatch('app.echo', { text: 'a' }, context)).toEqual(notSaved);
    expect(steps).toEqual(['change', 'undone']);
    steps.length = 0;
    const discard = { readingId: 'r-1', patientId: '00000000-0000-4000-8000-000000000001' };
    expect(await dispatcher.dispatch('devices.discardHeldReading', discard, context)).toEqual(notSaved);
    expect(steps).toEqual([]);
    recordWorks = true;
    expect(await dispatcher.dispatch('app.echo', { text: 'a' }, context)).toMatchObject({ ok: true });
    expect(await dispatcher.dispatch('devices.discardHeldReading', discard, context)).toMatchObject({
      ok: true,
    });
    expect(steps).toEqual(['change', 'deferred change']);
  });

  it('a handler whose change was rolled back with its record (nothing to undo) is answered as not saved', async () => {
    const dispatcher = createDispatcher({
      handlers: {
        // As an account change does: the change and its record in one transaction, rolled back together.
        'app.echo': () => {
          throw new ChangeNotRecordedError();
        },
      } as unknown as Handlers,
      authorize: () => undefined,
      logger: memoryLogger(),
      changeNotRecordedMessage: 'The change was not saved.',
    });
    expect(await dispatcher.dispatch('app.echo', { text: 'a' }, context)).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'The change was not saved.' },
    });
  });

  it('reports health with version and data directory', async () => {
    const core = await makeCore();
    const result = await core.invoke('app.health', {}, context);
    expect(result.ok && result.value).toMatchObject({
      appVersion: '9.9.9',
      status: 'ready',
      host: 'chromium',
    });
    await core.close();
  });
});
