import { describe, expect, it } from 'vitest';
import { latestSlotWithin, nextSlot, parseSchedule } from '../../src/reminders/schedule.ts';

describe('parseSchedule', () => {
  it.each([
    ['', { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' }],
    ['21:30', { kind: 'daily', time: '21:30', timezone: 'Asia/Shanghai' }],
    ['daily 8:05 Europe/Berlin', { kind: 'daily', time: '08:05', timezone: 'Europe/Berlin' }],
    ['每天 07:00 Asia/Taipei', { kind: 'daily', time: '07:00', timezone: 'Asia/Taipei' }],
    ['weekly mon 09:00', { kind: 'weekly', day: 1, time: '09:00', timezone: 'Asia/Shanghai' }],
    ['每週 週五 18:00 Asia/Hong_Kong', { kind: 'weekly', day: 5, time: '18:00', timezone: 'Asia/Hong_Kong' }],
    ['weekly Sunday', { kind: 'weekly', day: 0, time: '20:00', timezone: 'Asia/Shanghai' }],
    ['0 20 * * 1-5 America/New_York', { kind: 'cron', expression: '0 20 * * 1-5', timezone: 'America/New_York' }],
  ])('%j', (input, schedule) => {
    expect(parseSchedule(input)).toEqual({ ok: true, schedule });
  });

  it.each([
    ['25:99', 'time'],
    ['daily 20:00 Mars/Olympus', 'timezone'],
    ['weekly someday 09:00', 'day'],
    ['61 * * * *', 'cron'],
    ['daily 20:00 tomorrow', 'time'],
  ])('%j is refused for its %s', (input, problem) => {
    expect(parseSchedule(input)).toMatchObject({ ok: false, problem });
  });
});

describe('next slot', () => {
  it('daily 20:00 Asia/Shanghai is 12:00 UTC', () => {
    const schedule = { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' } as const;
    expect(nextSlot(schedule, new Date('2026-11-28T11:59:00Z')).toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(nextSlot(schedule, new Date('2026-11-28T12:00:00Z')).toISOString()).toBe('2026-11-29T12:00:00.000Z');
  });

  it('keeps local time across a DST change (New York, spring forward and fall back)', () => {
    const schedule = { kind: 'daily', time: '20:00', timezone: 'America/New_York' } as const;
    expect(nextSlot(schedule, new Date('2026-03-07T12:00:00Z')).toISOString()).toBe('2026-03-08T01:00:00.000Z'); // EST
    expect(nextSlot(schedule, new Date('2026-03-08T12:00:00Z')).toISOString()).toBe('2026-03-09T00:00:00.000Z'); // EDT
    expect(nextSlot(schedule, new Date('2026-11-01T12:00:00Z')).toISOString()).toBe('2026-11-02T01:00:00.000Z'); // EST again
  });

  it('weekly Monday 09:00 Berlin moves with the clocks in October', () => {
    const schedule = { kind: 'weekly', day: 1, time: '09:00', timezone: 'Europe/Berlin' } as const;
    expect(nextSlot(schedule, new Date('2026-10-20T00:00:00Z')).toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(nextSlot(schedule, new Date('2026-10-19T00:00:00Z')).toISOString()).toBe('2026-10-19T07:00:00.000Z');
  });

  it('finds the latest missed slot within a grace window, and none outside it', () => {
    const schedule = { kind: 'daily', time: '20:00', timezone: 'Asia/Shanghai' } as const;
    const hour = 3_600_000;
    expect(latestSlotWithin(schedule, new Date('2026-11-28T12:40:00Z'), hour)?.toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(latestSlotWithin(schedule, new Date('2026-11-28T13:30:00Z'), hour)).toBeUndefined();
    // Down for three days: only the latest slot counts, never a burst of backlog.
    const everyMinute = { kind: 'cron', expression: '* * * * *', timezone: 'UTC' } as const;
    expect(latestSlotWithin(everyMinute, new Date('2026-11-28T12:10:30Z'), hour)?.toISOString()).toBe('2026-11-28T12:10:00.000Z');
  });
});
