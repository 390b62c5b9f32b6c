import { describe, expect, it } from 'vitest';
import type { Tip } from '../../src/content/schema.ts';
import { createTipRotation } from '../../src/reminders/rotation.ts';
import { openStore } from '../../src/store/store.ts';

const tip = (id: string): Tip => ({
  id,
  kind: 'lesson',
  text: { 'zh-Hant': id, 'zh-Hans': id, en: id },
  citations: [{ block: 'p4', quote: '通過電話、網絡等手段實施詐騙' }],
});
const TIPS = ['a', 'b', 'c', 'd', 'e'].map(tip);

describe('tip rotation', () => {
  it('shows every tip once before any repeats, per chat, and never the same tip twice in a row', async () => {
    const store = await openStore('sqlite://:memory:');
    const rotation = createTipRotation(TIPS, store);
    const shown: string[] = [];
    for (let i = 0; i < 15; i++) shown.push((await rotation.next('telegram:-100')).id);
    for (const round of [shown.slice(0, 5), shown.slice(5, 10), shown.slice(10, 15)])
      expect([...round].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (let i = 1; i < shown.length; i++) expect(shown[i]).not.toBe(shown[i - 1]);
    // Another chat has its own round.
    expect((await rotation.next('discord:42')).id).toMatch(/^[a-e]$/);
    await store.close();
  });

  it('continues the round after a restart', async () => {
    const file = `/tmp/rotation-${process.pid}-${Date.now()}.sqlite`;
    const first = await openStore(`sqlite://${file}`);
    const seen = [(await createTipRotation(TIPS, first).next('c')).id, (await createTipRotation(TIPS, first).next('c')).id];
    await first.close();
    const second = await openStore(`sqlite://${file}`);
    const rotation = createTipRotation(TIPS, second);
    for (let i = 0; i < 3; i++) seen.push((await rotation.next('c')).id);
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    await second.close();
  });

  it('skips tips that were removed from the content', async () => {
    const store = await openStore('sqlite://:memory:');
    await createTipRotation(TIPS, store).next('c');
    const fewer = createTipRotation(TIPS.slice(0, 2), store);
    for (let i = 0; i < 4; i++) expect(['a', 'b']).toContain((await fewer.next('c')).id);
    await store.close();
  });
});
