/** A route result with a JSON body (or none, for 204 and empty 202s). */
export const json = (status: number, body?: unknown): { status: number; body?: unknown } => ({ status, body });
