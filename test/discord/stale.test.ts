import {
  type APIMessageComponentSelectMenuInteraction,
  type APIUserApplicationCommandInteraction,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCurrentCommand, slashCommands } from '../../adapters/discord/commands.ts';
import type { Core } from '../../src/core/core.ts';
import { type FakeDiscord, type InteractionRecord, snowflake } from '../fakes/discord-server.ts';
import { autocomplete, BOB, botMessage, buttonClick, chatInputCommand, subcommand } from '../fixtures/discord-interactions.ts';
import { type DiscordBot, startDiscordBot } from '../helpers/discord.ts';

type CallbackData = { content?: string; flags?: number; allowed_mentions?: { parse?: unknown[] }; embeds?: unknown[]; choices?: unknown[] };

const REMOVED = {
  'zh-TW': '這個指令已經移除了。有問題請改用 /提問。',
  'zh-CN': '这个命令已经移除了。有问题请改用 /提问。',
  'en-US': 'This command was removed. Please ask with /ask instead.',
} as const;
const EXPIRED = {
  'zh-TW': '這個按鈕已失效，請重新提問。',
  'zh-CN': '这个按钮已失效，请重新提问。',
  'en-US': 'This button has expired; please ask again.',
} as const;

let fake: FakeDiscord;
let core: Core;
let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot();
  ({ fake, core } = bot);
});
afterAll(() => bot.close());

/** Waits for the callback, then a moment more: a second response or a follow-up would show up in the record. */
async function privateNotice(record: InteractionRecord): Promise<CallbackData> {
  const callback = await fake.waitForCallback(record.id);
  await new Promise((r) => setTimeout(r, 150));
  expect(callback.type).toBe(4);
  expect(record.rejected).toEqual([]);
  expect(record.followUps).toEqual([]);
  expect(record.edits).toEqual([]);
  expect(fake.channelPosts).toEqual([]);
  const data = callback.data as CallbackData;
  expect((data.flags ?? 0) & 64).toBe(64);
  expect(data.allowed_mentions).toEqual({ parse: [] });
  expect(data.embeds ?? []).toEqual([]);
  return data;
}

describe('a command this deploy does not register', () => {
  it.each(Object.entries(REMOVED))('/oldcommand in %s: one ephemeral "removed" notice in that language', async (locale, text) => {
    const record = fake.dispatchInteraction(
      chatInputCommand('oldcommand', { query: 'how many?' }, { locale: locale as keyof typeof REMOVED }),
    );
    expect((await privateNotice(record)).content).toBe(text);
  });

  it.each([
    ['/start (Telegram only, never registered)', chatInputCommand('start')],
    ['/remind with its old one-option shape', chatInputCommand('remind', { schedule: '21:30' })],
    ['/remind with a sub-command since removed', chatInputCommand('remind', subcommand('pause'))],
    ['/advice with its number once a string', chatInputCommand('advice', { number: '2' })],
    ['/ask without the question it now requires', chatInputCommand('ask')],
    ['/ask with an option since renamed', chatInputCommand('ask', { q: 'How many people were arrested?' })],
  ])('%s: the same notice, not taken for a question', async (_, payload) => {
    const record = fake.dispatchInteraction(payload);
    expect((await privateNotice(record)).content).toBe(REMOVED['en-US']);
  });

  it('a user context-menu command (none registered) in a DM: the same notice', async () => {
    const base = chatInputCommand('ask', {}, { guild: false, locale: 'zh-CN' });
    const payload: APIUserApplicationCommandInteraction = {
      ...base,
      data: {
        id: snowflake(),
        name: 'Report message',
        type: ApplicationCommandType.User,
        target_id: BOB.id,
        resolved: { users: { [BOB.id]: BOB } },
      },
    };
    const record = fake.dispatchInteraction(payload);
    expect((await privateNotice(record)).content).toBe(REMOVED['zh-CN']);
  });

  it('the current commands are still answered publicly', async () => {
    const record = fake.dispatchInteraction(chatInputCommand('ask', { question: 'How many people were arrested?' }));
    const data = (await fake.waitForCallback(record.id)).data as CallbackData;
    expect((data.flags ?? 0) & 64).toBe(0);
    expect(JSON.stringify(data.embeds)).toContain('several hundred');
  });
});

describe('a component this deploy does not know', () => {
  it.each([
    ['zh-TW', 'e:fact.removed-since'],
    ['zh-CN', 'b:p999'],
    ['en-US', 'v1|entry|fact.arrests'],
  ] as const)('a stale button in %s (%s): an ephemeral "expired" notice', async (locale, customId) => {
    const record = fake.dispatchInteraction(buttonClick(customId, { locale }));
    expect((await privateNotice(record)).content).toBe(EXPIRED[locale]);
  });

  it('a select menu (the bot sends none): the same notice, not silence', async () => {
    const click = buttonClick('menu:topic', { locale: 'zh-TW' });
    const message = botMessage([], { locale: 'zh-TW' });
    message.components = [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.StringSelect, custom_id: 'menu:topic', options: [{ label: 'Arrests', value: 'arrests' }] }],
      },
    ];
    const payload: APIMessageComponentSelectMenuInteraction = {
      ...click,
      message,
      data: { custom_id: 'menu:topic', component_type: ComponentType.StringSelect, values: ['arrests'] },
    };
    const record = fake.dispatchInteraction(payload);
    expect((await privateNotice(record)).content).toBe(EXPIRED['zh-TW']);
  });
});

describe('autocomplete for a command or option this deploy does not have', () => {
  it.each([
    ['/oldcommand', autocomplete('oldcommand', 'query', '抓', { locale: 'zh-TW' })],
    ['/ask with a renamed option', autocomplete('ask', 'q', '抓', { locale: 'zh-TW' })],
    ['/remind with a removed sub-command', autocomplete('remind', 'timezone', '抓', { subcommand: 'pause' })],
  ])('%s: an empty choice list', async (_, payload) => {
    const record = fake.dispatchInteraction(payload);
    const callback = await fake.waitForCallback(record.id);
    expect(callback.type).toBe(8);
    expect((callback.data as CallbackData).choices).toEqual([]);
    expect(record.rejected).toEqual([]);
  });
});

describe('isCurrentCommand', () => {
  const registered = () => slashCommands(core.commands, core.composer);
  const STRING = ApplicationCommandOptionType.String;

  it('accepts what is registered now, optional options left out', () => {
    expect(isCurrentCommand(registered(), { name: 'ask', options: [{ name: 'question', type: STRING }] })).toBe(true);
    expect(isCurrentCommand(registered(), { name: 'advice', options: [] })).toBe(true);
    const on = { name: 'on', type: ApplicationCommandOptionType.Subcommand, options: [{ name: 'time', type: STRING }] };
    expect(isCurrentCommand(registered(), { name: 'remind', options: [on] })).toBe(true);
  });

  it('a missing required option is fine while typing (autocomplete) only', () => {
    expect(isCurrentCommand(registered(), { name: 'ask', options: [] })).toBe(false);
    expect(isCurrentCommand(registered(), { name: 'ask', options: [] }, { partial: true })).toBe(true);
  });

  it('a sub-command must be chosen where there are sub-commands', () => {
    expect(isCurrentCommand(registered(), { name: 'remind', options: [] })).toBe(false);
  });
});
