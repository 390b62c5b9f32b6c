import { describe, expect, it } from 'vitest';
import { Pacer, SECOND_WITH_GUARD } from '../../adapters/telegram/pacer.ts';

const clockAt = (start = 0) => {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

describe('Pacer', () => {
  it('lets messages through at once while no limit is near', () => {
    const clock = clockAt();
    const pacer = new Pacer({ globalPerSecond: 30, groupPerMinute: 20, chatPerSecond: 1 }, clock.now);
    for (let chat = 0; chat < 30; chat++) expect(pacer.reserve(String(chat))).toBe(0);
  });

  it('spaces messages to one chat by 1 / chatPerSecond', () => {
    const clock = clockAt();
    const pacer = new Pacer({ globalPerSecond: 30, groupPerMinute: 20, chatPerSecond: 1 }, clock.now);
    expect([pacer.reserve('42'), pacer.reserve('42'), pacer.reserve('42')]).toEqual([0, 1000, 2000]);
  });

  it('holds the 31st message of a second until the window (with its guard band) moves', () => {
    const clock = clockAt();
    const pacer = new Pacer({ globalPerSecond: 30, groupPerMinute: 20, chatPerSecond: 1 }, clock.now);
    for (let chat = 0; chat < 30; chat++) pacer.reserve(String(chat));
    expect(pacer.reserve('31')).toBe(SECOND_WITH_GUARD);
    expect(SECOND_WITH_GUARD).toBeGreaterThan(1000);
  });

  it('allows a group 20 messages in any minute', () => {
    const clock = clockAt();
    const pacer = new Pacer({ globalPerSecond: 1000, groupPerMinute: 20, chatPerSecond: 1000 }, clock.now);
    const waits = Array.from({ length: 21 }, () => pacer.reserve('-100123'));
    expect(waits.slice(0, 20).every((w) => w < 1000)).toBe(true);
    expect(waits[20]).toBeGreaterThanOrEqual(60_000);
  });
});
