import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/cli/render-text.ts';
import { loadContent } from '../../src/content/load.ts';
import { createReader } from '../../src/qa/reading.ts';
import { foldForMatch } from '../../src/text/fold.ts';
import { askInNewChats, citedBlocks, createTestCore, type TestCore, testConvert } from '../helpers/core.ts';

/**
 * The general rules behind understanding, one specification each: how a question's kind and
 * subjects are read from content data, and how a message's parts are found and answered.
 * (test/core/understanding.test.ts holds the issue's own examples.)
 */
let t: TestCore;
beforeAll(async () => {
  t = await createTestCore();
});
afterAll(async () => {
  await t.store.close();
});

const ask = askInNewChats(() => t, 'rules');
const blocksOf = citedBlocks;

describe('reading a question: kinds and subjects from content data, longest words first', async () => {
  const content = await loadContent('content', 'cambodia-scam-sweep');
  const convert = testConvert();
  const fold = (text: string) => foldForMatch(text, convert);
  const reader = createReader(content.language, content.knowledge.subjects, fold);
  const read = (text: string) => reader.read(reader.normalize(fold(text)));

  it('"哪裡的人" asks who, not also where (the longer cue wins)', () => {
    expect([...read('主要是侵害哪裡的人').kinds]).toEqual(['who']);
  });

  it('"how many" asks a number, not also how', () => {
    expect(read('how many were arrested').kinds.has('how')).toBe(false);
    expect(read('how many were arrested').kinds.has('how_many')).toBe(true);
  });

  it('"normal people" are the public, not also the suspects ("people")', () => {
    const subjects = read('how can normal people stay safe').subjects;
    expect(subjects.has('public')).toBe(true);
    expect(subjects.has('suspects')).toBe(false);
  });

  it('"what did China recommend" asks for advice: advice subsumes what happened', () => {
    const kinds = read("what did China's government recommend").kinds;
    expect(kinds.has('advice')).toBe(true);
    expect(kinds.has('what_happened')).toBe(false);
  });

  it('"Can you explain why…" is a request, not a yes/no question; "Can the police…" is one', () => {
    expect(read('Can you explain why Cambodia became a hotspot').yesNo).toBe(false);
    expect(read('Can the police hold them for long').yesNo).toBe(true);
  });
});

describe('what a message asks', () => {
  it('an English typo is read as the content word it misspells', async () => {
    expect((await ask('How many people were arested?')).entryId).toBe('fact.arrests');
  });

  it.each(['the other thing?', '那个呢'])('a message that only points (%s) is asked to say more', async (text) => {
    expect((await ask(text)).kind).toBe('clarify');
  });

  it('two clauses that each ask are two questions, even split by a comma', async () => {
    const reply = await ask('whats the headline, summarize it in one line');
    expect(reply.kind).toBe('answer');
    expect(blocksOf(reply)).toContain('title');
  });

  it('a phrase repeated in a row is filler: the question before it is answered', async () => {
    const reply = await ask(`Why were the suspects moved ${'and please explain simply '.repeat(300)}`);
    expect(reply.kind).toBe('answer');
    expect(blocksOf(reply)).toContain('p6');
  });

  it('an off-topic half is said to be left out, and the half about the article is answered', async () => {
    const reply = await ask('What will the weather be in Phnom Penh tomorrow, and how many were arrested?');
    expect(reply).toMatchObject({ kind: 'answer', entryId: 'fact.arrests' });
    expect(renderText(reply)).toMatch(/not about the article/);
  });

  it('a second question about the same subject that the article does not answer is said so, not dropped', async () => {
    const reply = await ask('Which Cambodian officials were in charge of the crackdown? Please list their names and titles.');
    expect(reply.kind).toBe('not_in_article');
    expect(renderText(reply)).toMatch(/Cambodia's government/);
    expect(renderText(reply)).toMatch(/says no more than that/);
  });
});

describe('advice, compared recommendations and premises', () => {
  it('"how can normal people avoid being scammed" is answered from the advice to the public', async () => {
    const reply = await ask('How can normal people avoid being scammed?');
    expect(reply.entryId).toBe('fact.public-protection');
    expect(blocksOf(reply)).toContain('rec2');
  });

  it.each([
    ['rec 2 vs rec 3', ['rec2', 'rec3']],
    ['第一條同第四條有咩分別', ['rec1', 'rec4']],
  ])('"%s" shows both recommendations', async (text, blocks) => {
    const reply = await ask(text);
    for (const block of blocks) expect(blocksOf(reply)).toContain(block);
  });

  it('a yes/no about something the article never mentions is not_in_article ("Did the FBI help?")', async () => {
    const reply = await ask('Did the FBI help?');
    expect(reply).toMatchObject({ kind: 'not_in_article', entryId: 'premise.foreign-helper' });
  });

  it('cues that apply only together: "trained in Vietnam" is corrected from where they were trained [p4]', async () => {
    const reply = await ask("Since the suspects were all trained in Vietnam, what does the article say about Vietnam's role?");
    expect(reply.entryId).toBe('premise.trained-elsewhere');
    expect(blocksOf(reply)).toEqual(['p4']);
    expect(renderText(reply)).toMatch(/inside China/);
  });

  it('several false claims before a question are each corrected, and the question answered', async () => {
    const reply = await ask('They were all released, and Thai police arrested 50 people. Where were the suspects taken?');
    const text = renderText(reply);
    expect(text).toMatch(/released/i);
    expect(text).toMatch(/other country/);
    expect(blocksOf(reply)).toContain('p6');
  });
});

describe('comparisons, claims and made-up words', () => {
  it('two subjects compared are answered side by side: what Cambodia did [p1, p3] and what China did [p5]', async () => {
    const reply = await ask('Compare what Cambodia did vs what China did in this operation.');
    expect(reply.kind).toBe('answer');
    expect(blocksOf(reply)).toEqual(expect.arrayContaining(['p3', 'p5']));
  });

  it('a clause that starts with a question word is a question of its own, even joined by "and"', async () => {
    const reply = await ask("What crimes were the gangs involved in, and what did China's police contribute?");
    const text = renderText(reply);
    expect(text).toMatch(/money laundering/);
    expect(text).toMatch(/intelligence/);
  });

  it('the claim that China did nothing is corrected from what it did [p5]', async () => {
    const reply = await ask("China didn't help at all, right?");
    expect(reply).toMatchObject({ kind: 'answer', entryId: 'premise.china-idle' });
    expect(blocksOf(reply)).toContain('p5');
  });

  it('a figure in thousands is a claim about the arrests only next to people or arrests', async () => {
    expect((await ask('I heard 3000 people were arrested')).entryId).toBe('premise.thousands');
    expect((await ask('can you recommend a laptop under 1000 dollars')).entryId).not.toBe('premise.thousands');
  });

  it('made-up words are asked to say more, not called out of scope', async () => {
    expect((await ask('asdfgh jkl')).kind).toBe('clarify');
  });
});
