export { runStorageConformance, type StorageConformanceOptions } from './storage-conformance.js';
