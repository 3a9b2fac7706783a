import { DEFAULT_GROUP } from '../context.js';

/** The group an input names, or the default group when it names none (a single-group app never does). */
export function groupOf(input: { group?: string | undefined }): string {
  return input.group ?? DEFAULT_GROUP;
}
