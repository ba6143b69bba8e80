import { z } from 'zod';
import { channel } from '../contract';

export const auditOutcomeSchema = z.enum(['success', 'failure', 'denied']);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

/** One audit record as the admin screen shows it: identifiers only, never a name or a clinical value. */
export const auditRecordSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorRole: z.string().nullable(),
  workstation: z.string(),
  action: z.string(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  patientId: z.string().nullable(),
  outcome: auditOutcomeSchema,
  detail: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRecordView = z.infer<typeof auditRecordSchema>;

export const auditFilterSchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    actorUserId: z.string().max(64).optional(),
    patientId: z.string().max(64).optional(),
    /**
     * A patient by MRN or name, as an administrator knows them: main looks the patient up and filters
     * by their id. The words themselves are never stored in the trail.
     */
    patient: z.string().trim().min(1).max(100).optional(),
    action: z.string().max(64).optional(),
    outcome: auditOutcomeSchema.optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/**
 * The trail against its copy on the FHIR server: `compared` records the server holds, up to `serverSeq`.
 * `truncated`: the server holds a record this trail no longer has; `rewritten`: one differs here;
 * `head-forged`: the server holds a signed end this trail's key never signed. `seq`: the first such record.
 */
export const auditServerComparisonSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), serverSeq: z.number().int(), compared: z.number().int() }),
  z.object({
    ok: z.literal(false),
    problem: z.enum(['truncated', 'rewritten', 'head-forged']),
    seq: z.number().int(),
  }),
]);
export type AuditServerComparison = z.infer<typeof auditServerComparisonSchema>;

export const auditVerdictSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), count: z.number().int(), headHash: z.string() }),
  z.object({
    ok: z.literal(false),
    count: z.number().int(),
    firstBadSeq: z.number().int(),
    problem: z.enum(['edited', 'broken-link', 'gap', 'truncated', 'head-mismatch', 'head-invalid']),
  }),
]);
export type AuditVerdict = z.infer<typeof auditVerdictSchema>;

export const auditChannels = {
  'audit.list': channel({
    summary: 'Audit records, newest first, filtered by time, user, patient, action or outcome',
    audit: { action: 'R', event: 'audit-log-used' },
    access: ['admin'],
    phi: 'none',
    request: z
      .object({
        filter: auditFilterSchema.default({}),
        /** Records with a smaller seq than this (paging backwards). */
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    response: z.object({
      records: z.array(auditRecordSchema),
      hasMore: z.boolean(),
      /** With a `patient` filter: how many patients it named (0: no patient has that MRN or name). */
      patientsMatched: z.number().int().optional(),
    }),
  }),
  'audit.export': channel({
    summary: 'Export the filtered audit trail as CSV or as a FHIR R4 Bundle of AuditEvent resources',
    audit: { action: 'R', event: 'export' },
    access: ['admin'],
    phi: 'none',
    request: z.object({ filter: auditFilterSchema.default({}), format: z.enum(['csv', 'fhir']) }).strict(),
    response: z.object({
      fileName: z.string(),
      mimeType: z.string(),
      content: z.string(),
      count: z.number(),
    }),
  }),
  'audit.compareWithServer': channel({
    summary:
      "Compare the trail's latest records with the copy sent to the FHIR server: a trail cut short or recomputed, even with a re-signed end, differs",
    audit: { action: 'E', event: 'audit-log-used' },
    access: ['admin'],
    phi: 'none',
    request: z.object({}).strict(),
    response: auditServerComparisonSchema,
  }),
  'audit.verify': channel({
    summary:
      'Check the hash chain of the whole audit trail: any edited, removed or reordered record is found',
    audit: { action: 'E', event: 'audit-log-used' },
    access: ['admin'],
    phi: 'none',
    request: z.object({}).strict(),
    response: auditVerdictSchema,
  }),
} as const;
