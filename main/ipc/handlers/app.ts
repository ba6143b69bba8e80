import type { Health } from '../../../shared/ipc/channels/app';
import type { appChannels } from '../../../shared/ipc/channels/app';
import type { Clock } from '../../platform/clock';
import type { Handlers } from '../dispatcher';

export function createAppHandlers(deps: {
  health: () => Health;
  clock: Clock;
}): Pick<Handlers, keyof typeof appChannels> {
  return {
    'app.health': () => deps.health(),
    'app.echo': ({ text }) => ({ text, receivedAt: deps.clock.now().toISOString() }),
  };
}
