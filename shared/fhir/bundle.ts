/**
 * Transaction bundles (FHIR R4 http.html §3.1.0.11 "Batch/Transaction"): all entries succeed or none do.
 * Every entry is conditional so a retry after a lost answer changes nothing:
 * - create-if-none-exist: POST with `ifNoneExist` on the identifier (§3.1.0.8.1 conditional create);
 * - update-by-identifier: PUT `Type?identifier=system|value` (§3.1.0.4.3 conditional update), which creates
 *   when there is no match and replaces the one match otherwise;
 * - put-by-id: PUT `Type/id` with an id derived from the record, for resources without an identifier element
 *   (Provenance), relying on update-as-create.
 */
import type { Bundle, BundleEntry, Identifier, Resource } from '@medplum/fhirtypes';
import { identifierToken } from './identifiers';

export type TransactionMode = 'create-if-none-exist' | 'update-by-identifier' | 'put-by-id';

export interface TransactionItem {
  readonly resource: Resource;
  /** urn:uuid used by other entries' references. */
  readonly fullUrl: string;
  readonly mode: TransactionMode;
  /** Required for the identifier modes. */
  readonly identifier?: Required<Pick<Identifier, 'system' | 'value'>> | undefined;
  /** Required for put-by-id. */
  readonly id?: string | undefined;
  /** put-by-id only: the version the change was based on (ETag, e.g. W/"3"); the server refuses if it moved on. */
  readonly ifMatch?: string | undefined;
}

function entryOf(item: TransactionItem): BundleEntry {
  const type = item.resource.resourceType;
  if (item.mode === 'put-by-id') {
    if (!item.id) throw new Error(`A ${type} sent by id needs an id.`);
    return {
      fullUrl: item.fullUrl,
      resource: { ...item.resource, id: item.id },
      request: {
        method: 'PUT',
        url: `${type}/${item.id}`,
        ...(item.ifMatch ? { ifMatch: item.ifMatch } : {}),
      },
    };
  }
  if (!item.identifier) throw new Error(`A conditional ${type} entry needs an identifier.`);
  const query = `identifier=${identifierToken(item.identifier.system, item.identifier.value)}`;
  return item.mode === 'create-if-none-exist'
    ? {
        fullUrl: item.fullUrl,
        resource: item.resource,
        request: { method: 'POST', url: type, ifNoneExist: query },
      }
    : { fullUrl: item.fullUrl, resource: item.resource, request: { method: 'PUT', url: `${type}?${query}` } };
}

export function buildTransactionBundle(items: readonly TransactionItem[]): Bundle {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.fullUrl)) throw new Error('A transaction cannot hold the same resource twice.');
    seen.add(item.fullUrl);
  }
  return { resourceType: 'Bundle', type: 'transaction', entry: items.map(entryOf) };
}
