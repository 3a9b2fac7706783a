const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values. Every value a mail template
 * interpolates into its `html` part goes through it: names and addresses are chosen by whoever
 * registered, so they are hostile until proven otherwise.
 *
 * @example
 * ```ts
 * escapeHtml('<script>alert("hi")</script>'); // '&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;'
 * ```
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}
