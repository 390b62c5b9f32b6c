import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/protocol/event.ts';
import { createTestCore } from '../helpers/core.ts';

const from = (userId: string, platform: ChatEvent['platform'] = 'telegram'): ChatEvent => ({
  platform,
  chatId: '-100',
  userId,
  chatType: 'group',
  text: '抓了多少人?',
  locale: 'en',
});

describe('a sender who floods the bot', () => {
  it('is answered up to the per-minute limit, told once to slow down, then ignored until the minute has passed', async () => {
    const { core, clock, store } = await createTestCore({ userMessagesPerMinute: 5 });
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await core.handle(from('flooder')));
    expect(replies.slice(0, 5).map((r) => r.kind)).toEqual(['answer', 'answer', 'answer', 'answer', 'answer']);
    expect(replies[5]?.kind).toBe('refused');
    expect(replies[5]?.silent).toBeUndefined();
    expect(replies[5]?.blocks[0]).toMatchObject({ text: 'You are sending messages too fast. Please wait a minute before asking again.' });
    expect(replies.slice(6).every((r) => r.silent === true)).toBe(true);
    // Others in the same chat are not affected.
    expect((await core.handle(from('neighbour'))).kind).toBe('answer');
    clock.advance(61_000);
    expect((await core.handle(from('flooder'))).kind).toBe('answer');
    await store.close();
  });

  it('does not apply to the operator’s console and CLI', async () => {
    const { core, store } = await createTestCore({ userMessagesPerMinute: 2 });
    for (let i = 0; i < 5; i++) expect((await core.handle(from('cli', 'cli'))).kind).toBe('answer');
    await store.close();
  });
});
