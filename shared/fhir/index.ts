/** FHIR R4 mapping: records out, observations in, and the transactions that carry them. */
export * from './bundle';
export * from './device';
export * from './encounter';
export * from './errors';
export * from './from-observation';
export * from './identifiers';
export * from './observation';
export * from './patient';
export * from './provenance';
export * from './records';
export * from './sync-bundle';
