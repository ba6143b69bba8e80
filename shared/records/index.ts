export * from './patient';
export * from './encounter';
export * from './observation';
export * from './vitals-summary';
