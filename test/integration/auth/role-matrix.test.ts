/**
 * Every channel of the contract, called as every role, as nobody, and from a locked window: the
 * refusals must match the access each channel declares. The request is an empty object: the role
 * check runs before validation, so a refusal never depends on the payload.
 */
import { describe, expect, it } from 'vitest';
import { ALL_ROLES, CHANNEL_NAMES, channels, type ChannelName, type Role } from '../../../shared/ipc';
import { phiAccessOf } from '../../../main/audit/phi-audit';
import { signInAs } from '../../support/session';
import { authCore } from './helpers';

const REFUSALS = ['NOT_SIGNED_IN', 'FORBIDDEN', 'LOCKED'];
// Sign-in channels answer NOT_SIGNED_IN themselves when there is no session to lock, enrol or unlock.
const SIGN_IN_AREA = (name: ChannelName) => name.startsWith('auth.');

describe('channel × role matrix', () => {
  it('allows exactly the roles each channel declares, and nothing to nobody or a locked window', async () => {
    const { core, invoke } = await authCore();
    for (const role of ALL_ROLES) await signInAs(core, role, `matrix-${role}`);
    await signInAs(core, 'nurse', 'matrix-locked');
    await invoke('matrix-locked', 'auth.lock');

    const table: string[] = [];
    for (const name of CHANNEL_NAMES) {
      const access = channels[name].access;
      if (access === 'public') {
        if (SIGN_IN_AREA(name)) continue;
        const anonymous = await invoke('matrix-nobody', name, {});
        expect(anonymous.ok || !REFUSALS.includes(anonymous.error.code), `${name} is public`).toBe(true);
        continue;
      }
      for (const role of ALL_ROLES as readonly Role[]) {
        const result = await invoke(`matrix-${role}`, name, {});
        const refusedWith = result.ok ? null : result.error.code;
        const allowed = access.includes(role);
        table.push(`${name} ${role} ${refusedWith ?? 'ok'}`);
        if (allowed) expect(REFUSALS, `${name} as ${role}`).not.toContain(refusedWith);
        else expect(refusedWith, `${name} as ${role}`).toBe('FORBIDDEN');
      }
      expect(await invoke('matrix-nobody', name, {}), `${name} signed out`).toMatchObject({
        ok: false,
        error: { code: 'NOT_SIGNED_IN' },
      });
      expect(await invoke('matrix-locked', name, {}), `${name} locked`).toMatchObject({
        ok: false,
        error: { code: 'LOCKED' },
      });
    }
    expect(table.length).toBeGreaterThan(0);
  });
});

describe('role rules of the contract', () => {
  // Rotating the database key re-encrypts the file without showing any of it: the one maintenance
  // channel that writes the patient file and that an administrator runs.
  const ADMIN_MAINTENANCE: readonly ChannelName[] = ['database.rotateKey'];

  it('gives administrators no channel that shows or changes patient data', () => {
    for (const name of CHANNEL_NAMES) {
      const definition = channels[name];
      if (definition.access === 'public' || ADMIN_MAINTENANCE.includes(name)) continue;
      if (definition.access.includes('admin'))
        expect(phiAccessOf(definition), `${name} is open to admins`).toBe('none');
    }
  });

  it('never makes a channel that touches PHI public', () => {
    for (const name of CHANNEL_NAMES) {
      const definition = channels[name];
      if (definition.phi === 'read' || definition.phi === 'write')
        expect(definition.access, `${name} touches PHI`).not.toBe('public');
    }
  });

  it('lets only administrators manage staff accounts and read the audit trail', () => {
    for (const name of CHANNEL_NAMES.filter((n) => n.startsWith('users.') || n.startsWith('audit.'))) {
      expect(channels[name].access).toEqual(['admin']);
    }
  });
});
