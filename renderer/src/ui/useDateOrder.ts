import { DEFAULT_DATE_ORDER, type DateOrder } from '../../../shared/records/typed-date';
import { useClient } from '../ipc/ClientContext';
import { useLoad } from './useLoad';

/** The order dates are typed in at this clinic (IT's policy `dateOrder`), YYYY-MM-DD until it is known. */
export function useDateOrder(): DateOrder {
  const client = useClient();
  const view = useLoad(() => client.invoke('settings.get', {}), [client]);
  return view.data?.managed.dateOrder ?? DEFAULT_DATE_ORDER;
}
