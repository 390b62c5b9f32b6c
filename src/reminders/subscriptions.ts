import type { Reply } from '../protocol/reply.ts';
import type { Lang } from '../text/script.ts';
import type { ReminderContext } from './context.ts';
import { nextSlot, type Schedule } from './schedule.ts';
import type { Subscription } from './scheduler.ts';
import { tipReply } from './tip-reply.ts';

type Platform = Subscription['platform'];

/** A chat's key in the subscriptions, the due queue and the rotation. */
export const keyOf = (platform: string, chatId: string): string => `${platform}:${chatId}`;

export async function removeSubscription(ctx: ReminderContext, key: string): Promise<void> {
  await Promise.all([ctx.subscriptions.delete(key), ctx.queue.remove(key)]);
}

export async function subscribe(
  ctx: ReminderContext,
  platform: Platform,
  chatId: string,
  schedule: Schedule,
  lang: Lang,
): Promise<{ next: Date }> {
  const key = keyOf(platform, chatId);
  const next = nextSlot(schedule, new Date(ctx.clock.now()));
  await ctx.subscriptions.set(key, { platform, chatId, schedule, lang, createdAt: ctx.clock.now() });
  await ctx.queue.put(key, next.getTime());
  return { next };
}

export async function unsubscribe(ctx: ReminderContext, platform: Platform, chatId: string): Promise<boolean> {
  const key = keyOf(platform, chatId);
  const existed = (await ctx.subscriptions.get(key)) !== undefined;
  await removeSubscription(ctx, key);
  return existed;
}

export async function subscriptionStatus(
  ctx: ReminderContext,
  platform: Platform,
  chatId: string,
): Promise<{ subscription: Subscription; next: Date } | undefined> {
  const subscription = await ctx.subscriptions.get(keyOf(platform, chatId));
  return subscription ? { subscription, next: nextSlot(subscription.schedule, new Date(ctx.clock.now())) } : undefined;
}

export async function listSubscriptions(ctx: ReminderContext): Promise<{ subscription: Subscription; next: Date }[]> {
  const entries = await ctx.queue.all();
  const listed = await Promise.all(
    entries.map(async ({ member, dueAt }) => {
      const subscription = await ctx.subscriptions.get(member);
      return subscription ? { subscription, next: new Date(dueAt) } : undefined;
    }),
  );
  return listed.filter((e) => e !== undefined);
}

/** Moves a chat's subscription to its new id; its next slot is the first one after `after`. */
export async function migrateSubscription(
  ctx: ReminderContext,
  platform: Platform,
  fromChatId: string,
  toChatId: string,
  after = new Date(ctx.clock.now()),
): Promise<void> {
  const from = keyOf(platform, fromChatId);
  const to = keyOf(platform, toChatId);
  const subscription = await ctx.subscriptions.get(from);
  if (!subscription) return;
  await ctx.subscriptions.set(to, { ...subscription, chatId: toChatId });
  await ctx.queue.put(to, nextSlot(subscription.schedule, after).getTime());
  await removeSubscription(ctx, from);
  ctx.logger.info({ from, to }, 'reminder: subscription moved to the chat’s new id');
}

export async function previewReminder(ctx: ReminderContext, platform: Platform, chatId: string, lang: Lang): Promise<Reply> {
  return tipReply(ctx.composer, await ctx.rotation.next(keyOf(platform, chatId)), lang);
}
