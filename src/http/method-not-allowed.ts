import { AuthError } from '../core/errors.js';

/**
 * 405 `method_not_allowed`, with the methods the path does serve for the `Allow` header: an HTTP-only
 * detail, so it lives here and not in the core's errors.
 */
export class MethodNotAllowedError extends AuthError<'method_not_allowed'> {
  /** The methods the path serves, as the `Allow` header lists them (`GET, POST`). */
  readonly allow: string;

  constructor(allow: string) {
    super('method_not_allowed', 'This method is not allowed here.');
    this.allow = allow;
  }
}
