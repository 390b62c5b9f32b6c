import { Cron } from 'croner';

/**
 * When a chat's reminders are due: daily at a time, weekly on a day at a time, or any cron
 * expression — always in an IANA timezone, so "20:00" stays 20:00 across DST changes.
 */
export type Schedule =
  | { kind: 'daily'; time: string; timezone: string }
  | { kind: 'weekly'; day: number; time: string; timezone: string }
  | { kind: 'cron'; expression: string; timezone: string };

export type ScheduleProblem = 'time' | 'timezone' | 'day' | 'cron';
export type ParsedSchedule = { ok: true; schedule: Schedule } | { ok: false; problem: ScheduleProblem; input: string };

export const DEFAULT_SCHEDULE: Schedule = { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' };

const DAYS: Record<string, number> = {
  sun: 0,
  sunday: 0,
  日: 0,
  天: 0,
  mon: 1,
  monday: 1,
  一: 1,
  tue: 2,
  tuesday: 2,
  二: 2,
  wed: 3,
  wednesday: 3,
  三: 3,
  thu: 4,
  thursday: 4,
  四: 4,
  fri: 5,
  friday: 5,
  五: 5,
  sat: 6,
  saturday: 6,
  六: 6,
};
const TIME = /^([01]?\d|2[0-3])[:：]([0-5]\d)$/;
const CRON_FIELD = /^[\d*/,\-LW#?A-Za-z]+$/;

export function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return /\//.test(name) || name === 'UTC';
  } catch {
    return false;
  }
}

function dayOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/^(週|周|星期|礼拜|禮拜)/, '');
  return DAYS[w] ?? (DAYS[w.slice(0, 3)] !== undefined && w.length >= 3 ? DAYS[w.slice(0, 3)] : undefined);
}

function normalizeTime(raw: string): string | undefined {
  const m = TIME.exec(raw);
  return m ? `${(m[1] as string).padStart(2, '0')}:${m[2]}` : undefined;
}

/**
 * What follows "/remind on": "", "21:30", "daily 08:00 Europe/Berlin", "weekly mon 09:00",
 * "0 20 * * 1-5 Asia/Taipei". Missing parts take the defaults (daily 20:00 Asia/Shanghai).
 */
export function parseSchedule(input: string, defaults: Schedule = DEFAULT_SCHEDULE): ParsedSchedule {
  const words = input.trim().split(/\s+/).filter(Boolean);
  let timezone = defaults.timezone;
  const last = words.at(-1);
  if (last && /^[A-Za-z_]+\/[A-Za-z_+\-\d/]+$|^UTC$/.test(last)) {
    if (!isTimezone(last)) return { ok: false, problem: 'timezone', input: last };
    timezone = last;
    words.pop();
  }
  const defaultTime = defaults.kind === 'cron' ? '20:00' : defaults.time;
  if (words.length === 0) return { ok: true, schedule: { kind: 'daily', time: defaultTime, timezone } };
  if (words.length === 5 && words.every((w) => CRON_FIELD.test(w))) {
    const expression = words.join(' ');
    try {
      new Cron(expression, { timezone, paused: true }).nextRun();
    } catch {
      return { ok: false, problem: 'cron', input: expression };
    }
    return { ok: true, schedule: { kind: 'cron', expression, timezone } };
  }
  const [first = '', ...rest] = words;
  const lower = first.toLowerCase();
  if (lower === 'weekly' || lower === '每週' || lower === '每周') {
    const day = rest[0] ? dayOf(rest[0]) : undefined;
    if (day === undefined) return { ok: false, problem: 'day', input: rest[0] ?? '' };
    const time = rest[1] ? normalizeTime(rest[1]) : defaultTime;
    if (!time || rest.length > 2) return { ok: false, problem: 'time', input: rest.slice(1).join(' ') };
    return { ok: true, schedule: { kind: 'weekly', day, time, timezone } };
  }
  const timeWord = lower === 'daily' || lower === '每天' || lower === '每日' ? rest[0] : first;
  const extra = lower === 'daily' || lower === '每天' || lower === '每日' ? rest.slice(1) : rest;
  const time = timeWord ? normalizeTime(timeWord) : defaultTime;
  if (!time || extra.length > 0) return { ok: false, problem: 'time', input: words.join(' ') };
  return { ok: true, schedule: { kind: 'daily', time, timezone } };
}

/** The schedule as a cron expression (minute hour day-of-month month day-of-week). */
export function cronOf(schedule: Schedule): string {
  if (schedule.kind === 'cron') return schedule.expression;
  const [hour, minute] = schedule.time.split(':').map(Number);
  return `${minute} ${hour} * * ${schedule.kind === 'weekly' ? schedule.day : '*'}`;
}

// Parsing a pattern costs more than computing a run; a fan-out asks for the same few schedules
// thousands of times. Bounded: the oldest pattern is dropped past this many.
const PARSED_LIMIT = 1000;
const parsed = new Map<string, Cron>();
function cronFor(schedule: Schedule): Cron {
  const key = `${cronOf(schedule)}|${schedule.timezone}`;
  let cron = parsed.get(key);
  if (!cron) {
    cron = new Cron(cronOf(schedule), { timezone: schedule.timezone, paused: true });
    if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, cron);
  }
  return cron;
}

/** The first slot strictly after `after`, in real time (DST handled by the timezone). */
export function nextSlot(schedule: Schedule, after: Date): Date {
  const next = cronFor(schedule).nextRun(after);
  if (!next) throw new Error(`schedule ${cronOf(schedule)} has no next run`);
  return next;
}

/** The latest slot at or before `at`, if one exists within `windowMs` (missed while down). */
export function latestSlotWithin(schedule: Schedule, at: Date, windowMs: number): Date | undefined {
  let slot = nextSlot(schedule, new Date(at.getTime() - windowMs - 1));
  if (slot.getTime() > at.getTime()) return undefined;
  for (let next = nextSlot(schedule, slot); next.getTime() <= at.getTime(); next = nextSlot(schedule, next)) slot = next;
  return slot;
}
