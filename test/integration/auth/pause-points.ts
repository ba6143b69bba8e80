/**
 * Pause points for staging a race exactly: a test arms a step ("password-check", "hash-upgrade",
 * "code-check"); the next call of that step computes its real answer, then waits with it until the
 * test releases it. A test file routes the real functions through `pass` with vi.mock (main/auth/password
 * and main/auth/totp, see pausingPassword and pausingTotp), so the real scrypt and TOTP checks run and
 * return their real answers; only when they return is decided by the test, which a slow hash on a busy
 * workstation decides in real life.
 */
import type * as PasswordModule from '../../../main/auth/password';
import type * as TotpModule from '../../../main/auth/totp';

export type PausePoint = 'password-check' | 'hash-upgrade' | 'code-check';

const armed = new Map<PausePoint, { reached: () => void; released: Promise<void> }>();

export const holds = {
  /** Arms `step` once: `reached` settles when its answer is ready and held; `release` lets it go on. */
  arm(step: PausePoint): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const wasReached = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    armed.set(step, { reached, released });
    return { reached: wasReached, release };
  },
  /** The real answer of `step`, held first when the step is armed. */
  async pass<T>(step: PausePoint, answer: T): Promise<T> {
    const hold = armed.get(step);
    if (!hold) return answer;
    armed.delete(step);
    hold.reached();
    await hold.released;
    return answer;
  },
};

/** The real password module, its check and its hashing passing through their pause points. */
export function pausingPassword(real: typeof PasswordModule): typeof PasswordModule {
  return {
    ...real,
    verifyPassword: async (...args) => holds.pass('password-check', await real.verifyPassword(...args)),
    hashPassword: async (...args) => holds.pass('hash-upgrade', await real.hashPassword(...args)),
  };
}

/** The real TOTP module, its code check passing through its pause point. */
export function pausingTotp(real: typeof TotpModule): typeof TotpModule {
  return { ...real, checkTotp: async (...args) => holds.pass('code-check', await real.checkTotp(...args)) };
}
