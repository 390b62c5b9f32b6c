import type { Reply } from '../protocol/reply.ts';
import type { ReplyComposer } from '../qa/compose.ts';

import { parseSchedule, type Schedule, type ScheduleProblem } from '../reminders/schedule.ts';
import type { Lang } from '../text/script.ts';
import type { Command, CommandContext } from './command.ts';

/** The sub-commands, with the words people type for them (Chinese too). */
const ACTIONS: Record<string, 'on' | 'off' | 'status' | 'now'> = {
  on: 'on',
  開: 'on',
  开: 'on',
  開啟: 'on',
  开启: 'on',
  off: 'off',
  關: 'off',
  关: 'off',
  關閉: 'off',
  关闭: 'off',
  status: 'status',
  狀態: 'status',
  状态: 'status',
  now: 'now',
  現在: 'now',
  现在: 'now',
};

const PROBLEM_KEYS = {
  time: 'remindBadTime',
  timezone: 'remindBadTimezone',
  day: 'remindBadDay',
  cron: 'remindBadCron',
} as const satisfies Record<ScheduleProblem, string>;

const LOCALES: Record<Lang, string> = { 'zh-Hant': 'zh-TW', 'zh-Hans': 'zh-CN', en: 'en-GB' };

/** "every day at 20:00 (Asia/Shanghai)", in the reader's language. */
export function describeSchedule(schedule: Schedule, lang: Lang, composer: ReplyComposer): string {
  const { timezone } = schedule;
  if (schedule.kind === 'cron') return composer.text('scheduleCron', lang, { expression: schedule.expression, timezone });
  if (schedule.kind === 'daily') return composer.text('scheduleDaily', lang, { time: schedule.time, timezone });
  // 2023-01-01 was a Sunday (day 0): Intl names the weekday, so no day names live in code.
  const day = new Intl.DateTimeFormat(LOCALES[lang], { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + schedule.day));
  return composer.text('scheduleWeekly', lang, { day, time: schedule.time, timezone });
}

/** A moment as the reader reads it, in the schedule's timezone. */
export function describeMoment(at: Date, timezone: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: timezone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

function say(lang: Lang, text: string, kind: Reply['kind'] = 'clarify'): Reply {
  return { kind, lang, blocks: [{ type: 'paragraph', text }], citations: [], suggestions: [], source: 'offline' };
}

/**
 * `/remind on [time] [timezone] | off | status | now`. Changing a group's reminders (and posting
 * one now) is for its admins, asked of the platform when the command runs; in a private chat
 * the user decides for themself.
 */
async function runRemind({ event, args, lang, composer, reminders, isAdmin }: CommandContext): Promise<Reply> {
  if (!reminders) return say(lang, composer.text('remindUnavailable', lang));
  const [first = '', ...rest] = args.trim().split(/\s+/);
  const action = ACTIONS[first.toLowerCase()];
  const { platform, chatId } = event;
  if (!action) {
    const status = await reminders.status(platform, chatId);
    const usage = composer.text('remindUsage', lang);
    if (!status) return say(lang, usage);
    const current = composer.text('remindStatusOn', lang, {
      schedule: describeSchedule(status.subscription.schedule, lang, composer),
      next: describeMoment(status.next, status.subscription.schedule.timezone, lang),
    });
    return {
      ...say(lang, current),
      blocks: [
        { type: 'paragraph', text: current },
        { type: 'paragraph', text: usage },
      ],
    };
  }
  if (action === 'status') {
    const status = await reminders.status(platform, chatId);
    if (!status) return say(lang, composer.text('remindNotOn', lang));
    return say(
      lang,
      composer.text('remindStatusOn', lang, {
        schedule: describeSchedule(status.subscription.schedule, lang, composer),
        next: describeMoment(status.next, status.subscription.schedule.timezone, lang),
      }),
    );
  }
  if (event.chatType !== 'private' && !(await isAdmin())) return say(lang, composer.text('remindAdminOnly', lang), 'refused');
  if (action === 'now') return reminders.preview(platform, chatId, lang);
  if (action === 'off') {
    const existed = await reminders.unsubscribe(platform, chatId);
    return say(lang, composer.text(existed ? 'remindOff' : 'remindNotOn', lang));
  }
  const parsed = parseSchedule(rest.join(' '));
  if (!parsed.ok) return say(lang, composer.text(PROBLEM_KEYS[parsed.problem], lang, { input: parsed.input.slice(0, 80) }));
  const { next } = await reminders.subscribe(platform, chatId, parsed.schedule, lang);
  return say(
    lang,
    composer.text('remindOn', lang, {
      schedule: describeSchedule(parsed.schedule, lang, composer),
      next: describeMoment(next, parsed.schedule.timezone, lang),
    }),
  );
}

export const remindCommand: Command = {
  name: 'remind',
  nameKey: 'nameRemind',
  descriptionKey: 'cmdRemind',
  argument: { name: 'schedule', descriptionKey: 'argSchedule', kind: 'text', required: false },
  argumentLanguage: 'chinese-only',
  run: runRemind,
};
