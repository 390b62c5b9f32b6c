import { describe, expect, it } from 'vitest';
import { canonicalTimezone, timezoneChoices } from '../../adapters/discord/remind.ts';
import { commandToEvent, subcommandText } from '../../adapters/discord/to-event.ts';
import { createTestCore } from '../helpers/core.ts';

const GUILD = { channelId: '1100000000000000001', userId: '1200000000000000002', guildId: '1300000000000000003', locale: 'zh-TW' };
const DM = { channelId: '1400000000000000004', userId: '1200000000000000002', guildId: null, locale: 'en-US' };

describe('Discord interactions as core events', () => {
  it('/ask is a question; other commands keep their name and argument', () => {
    expect(commandToEvent(GUILD, 'ask', '抓了多少人?')).toEqual({
      platform: 'discord',
      chatId: GUILD.channelId,
      userId: GUILD.userId,
      chatType: 'group',
      locale: 'zh-TW',
      text: '抓了多少人?',
    });
    expect(commandToEvent(DM, 'advice', 3)).toMatchObject({ chatType: 'private', command: 'advice', text: '3', locale: 'en-US' });
    expect(commandToEvent(DM, 'summary', null)).toMatchObject({ command: 'summary', text: '' });
  });

  it('a sub-command and its options are the argument text the core reads: /remind on 21:30 Asia/Taipei', () => {
    expect(commandToEvent(GUILD, 'remind', subcommandText('on', ['21:30', 'Asia/Taipei']))).toMatchObject({
      command: 'remind',
      text: 'on 21:30 Asia/Taipei',
      chatType: 'group',
    });
    expect(subcommandText('on', [null, ' Europe/London '])).toBe('on Europe/London');
    expect(subcommandText('on', ['weekly mon 09:00', null])).toBe('on weekly mon 09:00');
    expect(subcommandText('status', [])).toBe('status');
  });
});

describe('autocomplete suggestions', () => {
  it("offer known questions in the user's language, at most 25, matching what is typed", async () => {
    const { core } = await createTestCore();
    const empty = core.answerer.suggest('', 'zh-Hant', 25);
    expect(empty).toHaveLength(25);
    const typed = core.answerer.suggest('抓了', 'zh-Hans', 25);
    expect(typed[0]).toContain('抓');
    expect(typed.every((q) => Array.from(q).length <= 100)).toBe(true);
    expect(core.answerer.suggest('telecom operators', 'en', 5)[0]).toMatch(/operator/i);
  });
});

describe('time zones on Discord', () => {
  it('autocomplete offers IANA zones matching what is typed, the city first, at most 25', () => {
    expect(timezoneChoices('taip')[0]).toEqual({ name: 'Asia/Taipei', value: 'Asia/Taipei' });
    expect(timezoneChoices('new york')[0]?.value).toBe('America/New_York');
    const america = timezoneChoices('america');
    expect(america).toHaveLength(25);
    expect(america.every((c) => c.value.startsWith('America/'))).toBe(true);
    expect(
      timezoneChoices('')
        .map((c) => c.value)
        .slice(0, 2),
    ).toEqual(['Asia/Taipei', 'Asia/Shanghai']);
    expect(timezoneChoices('utc')[0]?.value).toBe('UTC');
    expect(timezoneChoices('no such place')).toEqual([]);
  });

  it('a zone typed by hand is written as the zone is; anything else is left for the core to refuse', () => {
    expect(canonicalTimezone('asia/taipei')).toBe('Asia/Taipei');
    expect(canonicalTimezone(' Taipei ')).toBe('Asia/Taipei');
    expect(canonicalTimezone('los angeles')).toBe('America/Los_Angeles');
    expect(canonicalTimezone('Mars/Olympus')).toBe('Mars/Olympus');
  });
});
