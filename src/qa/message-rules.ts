import type { LanguageData } from '../content/language-schema.ts';
import type { Matching } from './matching.ts';
import { type FocusRules, MAX_QUESTIONS } from './message.ts';
import { compileJoiners, compileStarts } from './phrases.ts';
import { compileVagueCheck } from './vague.ts';

/** How a message is taken apart, from content/language.yaml: what in it asks, and what says nothing. */
export interface MessageRules {
  /** Which sentences of a message are its questions (see message.ts). */
  focus: FocusRules;
  /** A folded text that points at nothing ("那个……咋说来着？"): asked to say more. */
  isVague: (folded: string) => boolean;
  /** Splits a folded sentence at words that join two questions (see phrases.ts). */
  joiners: (folded: string, asks: (text: string) => boolean) => string[];
}

export function compileMessageRules(language: LanguageData, { fold, read, vocabulary }: Matching): MessageRules {
  const instructionLines = language.instructionLines.map((source) => new RegExp(source, 'iu'));
  const joiners = compileJoiners(language.joiners, fold, MAX_QUESTIONS);
  // "比较一下" after a question asks nothing of its own either.
  const isVague = compileVagueCheck(
    [...language.casual, ...language.vague, ...language.requests, 'for me', 'for us', '给我', '一下'],
    fold,
    vocabulary.knows,
  );
  const boilerplateLines = language.boilerplateLines.map((source) => new RegExp(source, 'iu'));
  const requestStart = compileStarts(language.requests, language.politeStarts, fold);
  const focus: FocusRules = {
    isInstructionLine: (line: string) => instructionLines.some((re) => re.test(line)),
    isBoilerplateLine: (line: string) => boilerplateLines.some((re) => re.test(line)),
    asks: (sentence: string) => read(fold(sentence)).kinds.size > 0,
    requests: (sentence: string) => requestStart(fold(sentence)),
    onlyManner: (sentence: string) => {
      const r = read(fold(sentence));
      return r.subjects.size === 0 && r.kinds.has('explain') && [...r.kinds].every((k) => k === 'explain' || k === 'yes_no');
    },
  };
  return { focus, isVague, joiners };
}
