import { z } from 'zod';
import { channel, event } from '../contract';

export const coreStatusSchema = z.enum(['starting', 'ready', 'degraded', 'error']);

export const healthSchema = z.object({
  appVersion: z.string(),
  dataDirectory: z.string(),
  status: coreStatusSchema,
  /** One entry per service, so the health panel can say what is wrong in words. */
  services: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['ok', 'unavailable', 'error']),
      detail: z.string().optional(),
    }),
  ),
  clinicName: z.string(),
  workstationName: z.string(),
  /** Host the renderer runs in: the Electron shell, or the Chromium host for development and tests. */
  host: z.enum(['electron', 'chromium']),
  startedAt: z.string(),
});
export type Health = z.infer<typeof healthSchema>;

export const appChannels = {
  'app.health': channel({
    summary: 'Version, data directory and the status of each main-process service',
    audit: { action: 'R', event: 'application-activity' },
    access: 'public',
    request: z.object({}).strict(),
    response: healthSchema,
  }),
  'app.echo': channel({
    summary: 'Round-trips a short text; used to check the bridge end to end',
    audit: { action: 'E', event: 'application-activity' },
    access: 'public',
    request: z.object({ text: z.string().min(1).max(200) }).strict(),
    response: z.object({ text: z.string(), receivedAt: z.string() }),
  }),
} as const;

export const appEvents = {
  'app.heartbeat': event({
    access: 'public',
    summary: 'Sent by main every few seconds so the UI can show that the core is alive',
    payload: z.object({ at: z.string(), status: coreStatusSchema }),
  }),
} as const;
