import { LRUCache } from 'lru-cache';
import type { Content } from '../content/load.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { hasNoWords } from '../text/normalize.ts';
import { type AnswerDeps, isAnswerable } from './answer-deps.ts';
import type { ReplyComposer } from './compose.ts';
import { decide } from './decide.ts';
import { compileEntryCues } from './entry-cues.ts';
import { createMatching } from './matching.ts';
import { focusMessage, stripMarkup } from './message.ts';
import { compileMessageRules } from './message-rules.ts';
import type { IndexSnapshot } from './paraphrase-index.ts';
import { createPartsReader } from './parts.ts';
import { createRanking } from './ranked.ts';
import { suggestQuestions } from './suggest.ts';
import { INSTRUCTION_SCAN_CHARS } from './thresholds.ts';
import type { Answerer, AnswerInput, AnswerTrace } from './trace.ts';

export { ANSWER_THRESHOLD } from './thresholds.ts';
export type { Answerer, AnswerInput, AnswerRule, AnswerTrace } from './trace.ts';

const MEMO_ENTRIES = 2000;

/** `indexed`: the paraphrase index of exactly this content, when start-up has it cached. */
export function createAnswerer(content: Content, convert: ScriptConverter, composer: ReplyComposer, indexed?: IndexSnapshot): Answerer {
  const deps = createAnswerDeps(content, convert, composer, indexed);
  // Answers are a pure function of (text, language, previous entry): popular questions repeat,
  // so recent ones are remembered. Replies are never mutated after they leave here.
  const memo = new LRUCache<string, AnswerTrace>({ max: MEMO_ENTRIES });
  return {
    answer(input) {
      const key = `${input.lang}\u0000${input.previousEntryId ?? ''}\u0000${input.text}`;
      const known = memo.get(key);
      if (known) return known;
      const trace = answerUncached(deps, input);
      memo.set(key, trace);
      return trace;
    },
    answerFresh: (input) => answerUncached(deps, input),
    questionOf: (text) => stripMarkup(focusMessage(text, deps.rules.focus).text).trim(),
    suggest: (partial, lang, limit) => suggestQuestions(deps, partial, lang, limit),
  };
}

/** Compiles what answering needs from the content, once. */
function createAnswerDeps(content: Content, convert: ScriptConverter, composer: ReplyComposer, indexed?: IndexSnapshot): AnswerDeps {
  const matching = createMatching(content, convert, indexed);
  const { fold, plainFold, read, index, features, vocabulary } = matching;
  const cues = compileEntryCues(content.knowledge.entries, fold);
  const rules = compileMessageRules(content.language, matching);
  const ranking = createRanking({
    content,
    composer,
    index,
    features,
    vocabulary,
    unknownTriggers: cues.unknownTriggers,
    answerable: isAnswerable,
    fold,
    plainFold,
  });
  const partsOf = createPartsReader({ fold, read, isVague: rules.isVague, isOfftopic: cues.isOfftopic, joiners: rules.joiners });
  return { content, composer, matching, cues, rules, ranking, partsOf };
}

function answerUncached(deps: AnswerDeps, { text, lang, previousEntryId }: AnswerInput): AnswerTrace {
  const { composer, matching, rules } = deps;
  matching.forget();
  if (text.length === 0 || (text.length < 8 && Array.from(text.replace(/\s/g, '')).length <= 1) || hasNoWords(text)) {
    return { reply: composer.guidance('clarify', 'clarify', lang), rule: 'clarify', score: 0 };
  }
  const focused = focusMessage(text, rules.focus);
  // Instructions are looked for in the whole message (bounded), not only in its questions.
  const scanned = text.length <= INSTRUCTION_SCAN_CHARS ? matching.fold(stripMarkup(text)) : undefined;
  return { ...decide(deps, focused, scanned, lang, previousEntryId), question: focused.text };
}
