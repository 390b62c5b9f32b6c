import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { discordRenderer } from '../../adapters/discord/render.ts';
import { htmlToPlain, renderTelegram } from '../../adapters/telegram/render.ts';
import { renderText } from '../../src/cli/render-text.ts';
import { createConversation } from '../../src/core/conversation.ts';
import type { ChatEvent } from '../../src/protocol/event.ts';
import { LANGS } from '../../src/text/script.ts';
import { LANG_LABELS } from '../fixtures/replies.ts';
import { createTestCore } from '../helpers/core.ts';

const source = (locale: string): ChatEvent => ({
  platform: 'telegram',
  chatId: `source-${locale}`,
  userId: '42',
  chatType: 'private',
  text: '',
  command: 'source',
  locale,
});
const LOCALES = { 'zh-Hant': 'zh-TW', 'zh-Hans': 'zh-CN', en: 'en' } as const;

describe('/source labels each article block once', () => {
  it.each(LANGS)('%s: every block is quoted with the quote label, its block id shown once beside it', async (lang) => {
    const { core } = await createTestCore();
    const reply = await core.handle(source(LOCALES[lang]));
    const quotes = reply.blocks.flatMap((b) => (b.type === 'quote' ? [b] : []));
    expect(quotes.map((q) => q.blockId)).toEqual(core.composer.content.article.blocks.map((b) => b.id));
    // The same label every cited quote carries ("原文", "Original (Chinese)", and for Simplified
    // readers "原文，已转为简体" where the characters were converted), never the id again.
    const labels = new Set([core.composer.text(lang === 'en' ? 'originalQuoteLabel' : 'quoteLabel', lang)]);
    if (lang === 'zh-Hans') labels.add(core.composer.text('convertedQuoteLabel', lang));
    for (const q of quotes) expect(labels).toContain(q.label);
  });

  it('no renderer prints "p1 [p1]": console, Telegram and Discord each show the block id once', async () => {
    const { core } = await createTestCore();
    const reply = await core.handle(source('en'));
    const ids = core.composer.content.article.blocks.map((b) => b.id);
    const telegram = renderTelegram(reply, LANG_LABELS)
      .map((m) => htmlToPlain(m.html))
      .join('\n');
    const discord = discordRenderer(createConversation({ core, logger: pino({ level: 'silent' }) }))(reply)
      .flatMap((m) => m.embeds.flatMap((e) => e.fields.map((f) => f.name)))
      .join('\n');
    for (const shown of [renderText(reply), telegram, discord]) {
      for (const id of ids) {
        expect(shown).not.toContain(`${id} [${id}]`);
        expect(shown.split(`[${id}]`)).toHaveLength(2);
      }
    }
    expect(discord).toContain('Original (Chinese) [p1]');
  });
});
