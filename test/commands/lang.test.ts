import type { Message, User } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { slashCommands } from '../../adapters/discord/commands.ts';
import { commandToEvent } from '../../adapters/discord/to-event.ts';
import { messageToEvent } from '../../adapters/telegram/to-event.ts';
import type { ChatEvent } from '../../src/protocol/event.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import type { Lang } from '../../src/text/script.ts';
import { createTestCore, groupEvent } from '../helpers/core.ts';

const event = groupEvent;
const lang = (text: string, extra: Partial<ChatEvent> = {}) => event(text, { command: 'lang', ...extra });
const textOf = (reply: Reply) => reply.blocks.map((b) => ('text' in b ? b.text : '')).join('\n');

describe('/lang auto hands the reply language back to what the user writes', () => {
  it('confirms the reset (not the usage text), and each later question is answered in its own language', async () => {
    const { core } = await createTestCore();
    await core.handle(lang('en'));
    expect((await core.handle(event('抓了多少人?'))).lang).toBe('en');

    const reset = await core.handle(lang('auto'));
    expect(reset.kind).toBe('clarify');
    expect(textOf(reset)).toBe(core.composer.text('langAuto', 'en'));
    expect(textOf(reset)).not.toBe(core.composer.text('langUsage', 'en'));

    expect((await core.handle(event('抓了多少人?'))).lang).toBe('zh-Hant');
    expect((await core.handle(event('抓了多少人？这些人后来怎样'))).lang).toBe('zh-Hans');
    expect((await core.handle(event('How many people were arrested?'))).lang).toBe('en');
  });

  it.each<[string, string, Lang, string]>([
    ['zh-Hans', '自動', 'zh-Hant', 'a Traditional keyword → Traditional'],
    ['en', '自动', 'zh-Hans', 'a Simplified keyword → Simplified'],
    ['zh-Hans', 'auto', 'zh-Hans', 'the Latin keyword → the language the chat was in'],
    ['zh-Hant', 'reset', 'zh-Hant', 'the Latin keyword → the language the chat was in'],
  ])('after /lang %s, "/lang %s" confirms in %s (%s)', async (before, keyword, expected) => {
    const { core } = await createTestCore();
    await core.handle(lang(before));
    const reset = await core.handle(lang(keyword));
    expect(reset.lang).toBe(expected);
    expect(textOf(reset)).toBe(core.composer.text('langAuto', expected));
  });

  it('the word "auto" does not make a Chinese user\'s confirmation English', async () => {
    const { core } = await createTestCore();
    const reset = await core.handle(lang('auto', { locale: 'zh-TW', chatId: 'fresh' }));
    expect(reset.lang).toBe('zh-Hant');
    expect(textOf(reset)).toBe(core.composer.text('langAuto', 'zh-Hant'));
  });

  it('an unknown choice still explains the usage, in the chat language, with buttons for the other languages', async () => {
    const { core } = await createTestCore();
    await core.handle(lang('zh-Hans'));
    const reply = await core.handle(lang('klingon'));
    expect(textOf(reply)).toBe(core.composer.text('langUsage', 'zh-Hans'));
    expect(reply.suggestions.map((s) => s.action)).toEqual([
      { type: 'lang', lang: 'zh-Hant' },
      { type: 'lang', lang: 'en' },
    ]);
  });
});

describe('the platforms offer auto', () => {
  it('Discord lists auto among the /lang choices, and passes it to the core as the argument', async () => {
    const { core } = await createTestCore();
    const command = slashCommands(core.commands, core.composer).find((c) => c.name === 'lang');
    const choices = command?.options[0]?.choices as { value: string }[] | undefined;
    expect(choices?.map((c) => c.value)).toEqual(['zh-Hant', 'zh-Hans', 'en', 'auto']);
    const facts = { channelId: '1', userId: '2', guildId: '3', locale: 'en-US' };
    expect(commandToEvent(facts, 'lang', 'auto')).toMatchObject({ command: 'lang', text: 'auto' });
  });

  it('Telegram reads "/lang auto" and "/lang@bot auto" as the command, and its command menu mentions auto', async () => {
    const { core } = await createTestCore();
    const me = { id: 7, username: 'fraud_news_bot' };
    const from = { id: 42, is_bot: false, first_name: 'A', language_code: 'zh-hans' } as User;
    for (const text of ['/lang auto', '/lang@fraud_news_bot auto']) {
      const name = text.split(' ')[0] as string;
      const message = {
        message_id: 1,
        date: 0,
        chat: { id: -100, type: 'supergroup', title: 'g' },
        text,
        entities: [{ type: 'bot_command', offset: 0, length: name.length }],
      } as Message;
      expect(messageToEvent(message, from, me)).toMatchObject({ command: 'lang', text: 'auto' });
    }
    for (const l of ['zh-Hant', 'zh-Hans', 'en'] as const) expect(core.composer.text('cmdLang', l)).toContain('auto');
  });
});
