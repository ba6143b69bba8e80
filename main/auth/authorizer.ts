/**
 * The one place that decides whether a window may call a channel: public channels are open to all;
 * any other needs a signed-in, enrolled, unlocked session whose role the channel lists. The renderer
 * hides what a role cannot do, but this is what enforces it.
 */
import { AppError, channels, type ChannelName } from '../../shared/ipc';
import type { Authorizer } from '../ipc/dispatcher';
import { AUTH_MESSAGES, type AuthService } from './auth-service';

export function createAuthorizer(auth: Pick<AuthService, 'requireActiveSession'>): Authorizer {
  return (channel: ChannelName, context) => {
    const access = channels[channel].access;
    if (access === 'public') return;
    const session = auth.requireActiveSession(context.senderId);
    if (!access.includes(session.role)) throw new AppError('FORBIDDEN', AUTH_MESSAGES.forbidden);
  };
}
