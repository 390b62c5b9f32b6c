import type { Reply } from '../protocol/reply.ts';
import type { ReminderContext } from './context.ts';
import { mapBounded, withRetries } from './fan-out.ts';
import { latestSlotWithin, nextSlot } from './schedule.ts';
import type { Poster, Subscription, TickOptions, TickReport } from './scheduler.ts';
import { migrateSubscription, removeSubscription } from './subscriptions.ts';
import { tipReply } from './tip-reply.ts';

/** A claimed slot stays claimed this long: far longer than any slot can stay due. */
const CLAIM_TTL_MS = 7 * 24 * 3_600_000;

type PostOutcome = Awaited<ReturnType<Poster['post']>> | 'failed';

/** A due chat whose slot is to be posted now, by this process. */
interface DueSlot {
  key: string;
  subscription: Subscription;
  slot: Date;
  poster: Poster;
  at: Date;
}

/** Posts every reminder due at `at`, batch after batch, each chat at most once per tick. */
export async function tickDue(ctx: ReminderContext, at: Date, options: TickOptions): Promise<TickReport> {
  const report: TickReport = { sent: 0, skipped: 0, removed: 0, failed: 0, claimedElsewhere: 0, planned: [] };
  const dryRun = options.dryRun ?? false;
  const seen = new Set<string>();
  // Batch after batch until nothing is due: each processed chat moves to its next slot, so
  // the queue shrinks (a dry run, which moves nothing, reads everything due in one go).
  for (;;) {
    if (options.signal?.aborted) break;
    const due = (await ctx.queue.due(at.getTime(), dryRun ? Number.MAX_SAFE_INTEGER : ctx.batchSize)).filter((d) => !seen.has(d.member));
    if (due.length === 0) break;
    for (const d of due) seen.add(d.member);
    await mapBounded(due, ctx.concurrency, options.signal, (d) => processDue(ctx, d.member, d.dueAt, at, report, dryRun));
    if (dryRun) break;
  }
  return report;
}

/** One due chat: reschedule, claim the slot, post the next tip, record the delivery. */
async function processDue(ctx: ReminderContext, key: string, dueAt: number, at: Date, report: TickReport, dryRun: boolean): Promise<void> {
  const subscription = await ctx.subscriptions.get(key);
  if (!subscription) {
    if (!dryRun) await ctx.queue.remove(key);
    return;
  }
  // Down for a while: only the latest missed slot, and only within the grace window.
  const slot = at.getTime() - dueAt <= ctx.graceMs ? new Date(dueAt) : latestSlotWithin(subscription.schedule, at, ctx.graceMs);
  if (dryRun) {
    if (slot) report.planned.push({ chat: key, slot: slot.toISOString() });
    else report.skipped++;
    return;
  }
  await ctx.queue.put(key, nextSlot(subscription.schedule, at).getTime());
  if (!slot) {
    report.skipped++;
    ctx.logger.info({ chat: key, missed: new Date(dueAt).toISOString() }, 'reminder: slot missed beyond the grace window; skipped');
    return;
  }
  const poster = ctx.posters[subscription.platform];
  if (!poster) {
    // This process does not run that platform: leave the slot to one that does.
    await ctx.queue.put(key, dueAt);
    return;
  }
  await postSlot(ctx, { key, subscription, slot, poster, at }, report);
}

async function postSlot(ctx: ReminderContext, due: DueSlot, report: TickReport): Promise<void> {
  const { key, subscription } = due;
  const slotKey = `${key}:${due.slot.toISOString()}`;
  // At most once: a crash between this claim and the post loses that one slot, never repeats it.
  if (!(await ctx.claims.claim(slotKey, CLAIM_TTL_MS))) {
    report.claimedElsewhere++;
    return;
  }
  const tip = await ctx.rotation.next(key);
  const reply = tipReply(ctx.composer, tip, subscription.lang);
  const outcome = await postWithRetries(ctx, due, reply);
  const recorded = typeof outcome === 'string' ? outcome : 'moved';
  await ctx.deliveries.set(slotKey, { tip: tip.id, at: ctx.clock.now(), outcome: recorded }, CLAIM_TTL_MS);
  await settleOutcome(ctx, due, outcome, reply, report);
}

async function postWithRetries(ctx: ReminderContext, { key, subscription, poster }: DueSlot, reply: Reply): Promise<PostOutcome> {
  return withRetries(
    () => poster.post(subscription.chatId, reply),
    ctx.retryDelaysMs,
    ctx.sleep,
    (error, attempt) => ctx.logger.warn({ chat: key, attempt, err: error }, 'reminder: post failed; retrying'),
  ).catch((error: unknown) => {
    ctx.logger.error({ chat: key, err: error }, 'reminder: post failed after retries; this slot is skipped');
    return 'failed' as const;
  });
}

/** Counts the post in the report, and follows a chat that is gone or has moved. */
async function settleOutcome(ctx: ReminderContext, due: DueSlot, outcome: PostOutcome, reply: Reply, report: TickReport): Promise<void> {
  const { key, subscription, poster } = due;
  if (outcome === 'failed') {
    report.failed++;
  } else if (outcome === 'gone') {
    await removeSubscription(ctx, key);
    report.removed++;
    ctx.logger.info({ chat: key }, 'reminder: chat no longer reachable; subscription removed');
  } else if (typeof outcome === 'object') {
    // The new id's next slot comes after this one: the post below is this slot's.
    await migrateSubscription(ctx, subscription.platform, subscription.chatId, outcome.movedTo, due.at);
    const moved = await poster.post(outcome.movedTo, reply).catch(() => 'failed' as const);
    if (moved === 'sent') report.sent++;
    else report.failed++;
  } else {
    report.sent++;
  }
}
