import type { usersChannels } from '../../../shared/ipc/channels/users';
import type { AuthService } from '../../auth/auth-service';
import type { Handlers } from '../dispatcher';

export function createUsersHandlers(deps: { auth: AuthService }): Pick<Handlers, keyof typeof usersChannels> {
  const { auth } = deps;
  return {
    'users.list': () => auth.listUsers(),
    'users.create': (request, context) => auth.createUser(context.senderId, request),
    'users.update': (request, context) => auth.updateUser(context.senderId, request),
  };
}
