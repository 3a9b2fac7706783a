export {
  createFetchHandler,
  type FetchHandler,
  type FetchHandlerOptions,
  type FetchRequestInfo,
} from './http/fetch-handler.js';
export type { HttpOptions } from './http/types.js';
