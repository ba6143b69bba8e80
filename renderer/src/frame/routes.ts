export const ROUTES = [
  { id: 'intake', label: 'Intake', shortcut: '1' },
  { id: 'review', label: 'Review', shortcut: '2' },
  { id: 'devices', label: 'Devices', shortcut: '3' },
  { id: 'settings', label: 'Settings', shortcut: '4' },
  { id: 'admin', label: 'Admin', shortcut: '5' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '');
  return ROUTES.find((r) => r.id === id)?.id ?? 'intake';
}
