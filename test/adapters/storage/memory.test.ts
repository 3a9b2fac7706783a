import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { runStorageConformance } from '../../../src/testing/index.js';

runStorageConformance({ name: 'memory', setup: async () => ({ storage: memoryStorage() }) });
