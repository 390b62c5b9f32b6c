import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/protocol/event.ts';
import { createTestCore } from '../helpers/core.ts';

/** A button pressed in a Discord server, as either adapter hands it over: the data as the platform sent it back. */
const press = (button: string, extra: Partial<ChatEvent> = {}): ChatEvent => ({
  platform: 'discord',
  chatId: '1100000000000000001',
  userId: '1200000000000000001',
  chatType: 'group',
  text: '',
  locale: 'en-US',
  button,
  ...extra,
});

describe('button presses, read by the core on every platform', () => {
  it('a source-paragraph button shows that paragraph of the article', async () => {
    const { core } = await createTestCore();
    const reply = await core.handle(press('b:p3'));
    expect(reply.kind).toBe('answer');
    expect(reply.citations.map((c) => c.block)).toEqual(['p3']);
  });

  it('a language button answers the same entry in the language it names, whatever the locale', async () => {
    const { core } = await createTestCore();
    const reply = await core.handle(press('t:zh-Hans:rec.2'));
    expect(reply).toMatchObject({ entryId: 'rec.2', lang: 'zh-Hans', kind: 'answer' });
  });

  it('a command button runs the command', async () => {
    const { core } = await createTestCore();
    const reply = await core.handle(press('c:advice'));
    expect(reply.entryId).toBe('advice.list');
  });

  it('a forged button, or one pointing at content no longer there, is told privately that it expired', async () => {
    const { core } = await createTestCore();
    for (const data of ['evil:<script>', 'e:fact.no-such-entry', 'b:p99', '']) {
      const reply = await core.handle(press(data));
      expect(reply).toMatchObject({ kind: 'refused', silent: true, private: true, lang: 'en' });
      expect(reply.blocks).toEqual([{ type: 'paragraph', text: core.composer.text('buttonExpired', 'en') }]);
    }
  });

  it('a notice with no question is in the locale’s language, English for a locale the bot does not write', async () => {
    const { core } = await createTestCore();
    expect((await core.handle(press('x', { locale: 'zh-TW' }))).lang).toBe('zh-Hant');
    expect((await core.handle(press('x', { locale: 'fr' }))).lang).toBe('en');
    expect((await core.handle(press('x', { locale: undefined }))).lang).toBe('zh-Hant');
  });
});
