import type { Content } from '../content/load.ts';
import type { Entry } from '../content/schema.ts';
import type { ReplyComposer } from './compose.ts';
import type { EntryCues } from './entry-cues.ts';
import type { Matching } from './matching.ts';
import type { MessageRules } from './message-rules.ts';
import type { Part } from './parts.ts';
import type { Ranking } from './ranked.ts';

/** Everything answering a message needs, built once per content by createAnswerer. */
export interface AnswerDeps {
  content: Content;
  composer: ReplyComposer;
  matching: Matching;
  cues: EntryCues;
  rules: MessageRules;
  ranking: Ranking;
  /** The questions of a message (see parts.ts). */
  partsOf: (text: string, message: string) => Part[];
}

/** The entries a question can be answered with by resemblance: what the article says and recommends. */
export function isAnswerable(e: Entry): boolean {
  return e.kind === 'fact' || e.kind === 'recommendation';
}
