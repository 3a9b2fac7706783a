import type { AuthContext } from '../context.js';

/**
 * Runs `work` with a context whose storage writes form one transaction (`Storage.transaction`): the
 * change and the events it emits go to the outbox together or not at all, so a change that rolls back
 * emits nothing and one that commits cannot lose its event. In-process listeners hear the events once
 * the transaction has committed. Inside `work`, only the context it is given may touch storage (on
 * SQLite and memory the transaction holds the one connection), and nothing slow belongs there: hash
 * passwords, sign tokens and send mail before or after. A call made inside another runs inline.
 */
export async function inTransaction<T>(ctx: AuthContext, work: (tx: AuthContext) => Promise<T>): Promise<T> {
  if (ctx.pendingEvents) return work(ctx);
  let pendingEvents: NonNullable<AuthContext['pendingEvents']> = [];
  const result = await ctx.storage.transaction((storage) => {
    // A storage may run `work` again (a deadlock's victim): only the attempt that commits is heard.
    pendingEvents = [];
    return work({ ...ctx, storage, pendingEvents });
  });
  for (const event of pendingEvents) ctx.events.emit(event);
  if (pendingEvents.length > 0) ctx.webhooks.wake();
  return result;
}
