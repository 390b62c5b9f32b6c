import { describe, expect, it } from 'vitest';
import { slashCommands } from '../../adapters/discord/commands.ts';
import { LIMITS, renderDiscord } from '../../adapters/discord/render.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import { LANG_LABELS, replyOf } from '../fixtures/replies.ts';
import { createTestCore } from '../helpers/core.ts';

const OPTIONS = {
  footer: '柬埔寨政府掃蕩電詐園區，大批人員神秘轉移，國際反詐合作再升級',
  langLabels: LANG_LABELS,
};

describe('renderDiscord (pure)', () => {
  it('puts the answer in the description, each quote in a field with its block id, and the article in the footer', () => {
    const [message] = renderDiscord(
      replyOf([
        { type: 'paragraph', text: 'According to the article, several hundred suspects were caught.' },
        { type: 'quote', text: '柬埔寨警方共抓獲犯罪嫌疑人數百名', blockId: 'p3', label: 'Original (Chinese)' },
      ]),
      OPTIONS,
    );
    expect(message?.embeds).toEqual([
      {
        color: expect.any(Number),
        description: 'According to the article, several hundred suspects were caught.',
        fields: [{ name: 'Original (Chinese) [p3]', value: '柬埔寨警方共抓獲犯罪嫌疑人數百名' }],
        footer: { text: OPTIONS.footer },
      },
    ]);
    expect(message?.allowed_mentions).toEqual({ parse: [] });
  });

  it('never lets a mention or Markdown through as written', () => {
    const [message] = renderDiscord(replyOf([{ type: 'paragraph', text: '@everyone **bold** <@&123> `code`' }]), OPTIONS);
    const text = message?.embeds[0]?.description ?? '';
    expect(text).not.toContain('@everyone');
    expect(text).toContain('\\*\\*bold\\*\\*');
    expect(message?.allowed_mentions).toEqual({ parse: [] });
  });

  it('respects every limit: description, field value, 25 fields, 6,000 per message, 10 embeds', () => {
    const blocks: Reply['blocks'] = [
      { type: 'paragraph', text: 'x'.repeat(9000) },
      ...Array.from({ length: 30 }, (_, i) => ({ type: 'quote' as const, text: '國'.repeat(1500), blockId: `p${i}`, label: '原文' })),
    ];
    const messages = renderDiscord(replyOf(blocks), OPTIONS);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
      let total = 0;
      for (const e of m.embeds) {
        expect(e.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
        expect(e.fields.length).toBeLessThanOrEqual(LIMITS.fields);
        for (const f of e.fields) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
        total +=
          (e.title?.length ?? 0) +
          (e.description?.length ?? 0) +
          e.footer.text.length +
          e.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
      }
      expect(total).toBeLessThanOrEqual(LIMITS.total);
      expect(m.allowed_mentions).toEqual({ parse: [] });
    }
    expect(
      messages
        .flatMap((m) => m.embeds)
        .flatMap((e) => e.fields)[0]
        ?.value.endsWith('…'),
    ).toBe(true);
  });

  it('turns follow-ups into buttons (≤ 5 a row) and adds a row for the other languages', () => {
    const [message] = renderDiscord(
      replyOf([{ type: 'paragraph', text: 'x' }], {
        entryId: 'rec.1',
        suggestions: Array.from({ length: 7 }, (_, i) => ({
          label: `Recommendation ${i}`,
          action: { type: 'entry' as const, id: `rec.${i}` },
        })),
      }),
      OPTIONS,
    );
    expect(message?.components.map((r) => r.components.length)).toEqual([5, 2, 2]);
    expect(message?.components.at(-1)?.components.map((b) => b.custom_id)).toEqual(['t:zh-Hant:rec.1', 't:zh-Hans:rec.1']);
  });
});

describe('slash commands', () => {
  it('are localized for zh-TW, zh-CN and English, valid for Discord, usable in servers and DMs', async () => {
    const { core } = await createTestCore();
    const commands = slashCommands(core.commands, core.composer);
    expect(commands.map((c) => c.name)).toEqual(['ask', 'summary', 'advice', 'source', 'lang', 'remind', 'help']);
    for (const c of commands) {
      expect(c.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(Object.keys(c.name_localizations).sort()).toEqual(['en-GB', 'en-US', 'zh-CN', 'zh-TW']);
      for (const name of Object.values(c.name_localizations)) expect(name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
      for (const d of [c.description, ...Object.values(c.description_localizations)]) expect(d.length).toBeGreaterThan(0);
      for (const d of [c.description, ...Object.values(c.description_localizations)]) expect(Array.from(d).length).toBeLessThanOrEqual(100);
      expect(c.contexts).toEqual([0, 1]);
    }
    const ask = commands.find((c) => c.name === 'ask');
    expect(ask?.options[0]).toMatchObject({ name: 'question', type: 3, required: true, autocomplete: true });
    const advice = commands.find((c) => c.name === 'advice');
    expect(advice?.options[0]?.choices).toHaveLength(4);
    expect(commands.find((c) => c.name === 'summary')?.name_localizations['zh-TW']).toBe('摘要');
  });

  it('/remind has the sub-commands on [time] [timezone], off, status and now, for channel managers by default', async () => {
    const { core } = await createTestCore();
    const remind = slashCommands(core.commands, core.composer).find((c) => c.name === 'remind');
    expect(remind?.name_localizations).toMatchObject({ 'zh-TW': '提醒', 'zh-CN': '提醒', 'en-US': 'remind' });
    // Manage Channels (1 << 4); servers may change who sees it, so the bot still checks at run time.
    expect(remind?.default_member_permissions).toBe('16');
    expect(remind?.contexts).toEqual([0, 1]);
    expect(remind?.integration_types).toEqual([0]);
    expect(remind?.options.map((o) => [o.type, o.name])).toEqual([
      [1, 'on'],
      [1, 'off'],
      [1, 'status'],
      [1, 'now'],
    ]);
    const on = remind?.options[0] as { description_localizations: Record<string, string>; options: Record<string, unknown>[] };
    expect(on.description_localizations['zh-TW']).toBe('開啟定時防詐提醒');
    expect(on.options).toEqual([
      expect.objectContaining({ type: 3, name: 'time', required: false, max_length: 100 }),
      expect.objectContaining({ type: 3, name: 'timezone', required: false, autocomplete: true }),
    ]);
    expect(on.options[1]?.description_localizations).toMatchObject({ 'zh-CN': expect.stringContaining('时区') });
    // No other command is restricted.
    expect(slashCommands(core.commands, core.composer).filter((c) => c.default_member_permissions !== undefined)).toHaveLength(1);
  });
});
