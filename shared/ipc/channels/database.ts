import { z } from 'zod';
import { channel } from '../contract';

export const databaseChannels = {
  'database.rotateKey': channel({
    summary: 'Re-encrypt the patient database with a new key (IT administrators)',
    audit: { action: 'E', event: 'application-activity' },
    access: ['admin'],
    // Touches no record's content, but re-encrypts all of them: kept in the audit trail.
    phi: 'write',
    request: z.object({}).strict(),
    response: z.object({ rotatedAt: z.string() }),
  }),
} as const;
