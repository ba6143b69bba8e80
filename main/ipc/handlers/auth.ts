import type { authChannels } from '../../../shared/ipc/channels/auth';
import type { AuthService } from '../../auth/auth-service';
import type { Handlers } from '../dispatcher';

export function createAuthHandlers(deps: { auth: AuthService }): Pick<Handlers, keyof typeof authChannels> {
  const { auth } = deps;
  return {
    'auth.status': (_request, { senderId }) => auth.status(senderId),
    'auth.setupFirstAdmin': (request, context) => auth.setupFirstAdmin(context.senderId, request),
    'auth.signIn': (request, { senderId }) => auth.signIn(senderId, request),
    'auth.signOut': (_request, { senderId }) => auth.signOut(senderId),
    'auth.lock': (_request, { senderId }) => auth.lock(senderId),
    'auth.unlock': (request, { senderId }) => auth.unlock(senderId, request),
    'auth.enrolTotp': (_request, { senderId }) => auth.enrolTotp(senderId),
    'auth.confirmTotp': ({ code }, context) => auth.confirmTotp(context.senderId, code),
    'auth.changePassword': (request, context) => auth.changePassword(context.senderId, request),
    'auth.activity': (_request, { senderId }) => ({ state: auth.activity(senderId) }),
  };
}
