import type { Content } from '../content/load.ts';
import type { Citation, Entry, EntryKind, Subject } from '../content/schema.ts';
import type { UiKey } from '../content/ui-schema.ts';
import type { Reply, ReplyBlock, ReplyKind, Suggestion } from '../protocol/reply.ts';
import type { ScriptConverter } from '../text/convert.ts';
import { detectScript, type Lang } from '../text/script.ts';
import { ADVICE_LIST_ID } from './entry-ids.ts';

const KIND_OF_ENTRY: Record<EntryKind, ReplyKind> = {
  fact: 'answer',
  recommendation: 'answer',
  premise: 'answer',
  unknown: 'not_in_article',
  offtopic: 'out_of_scope',
  injection: 'refused',
};
const MAX_QUOTES_SHOWN = 2;
/** An answer citing at least this many article paragraphs, one sentence each, is shown per paragraph. */
const MIN_SECTIONS = 3;
/** After 。！？, or after . ! ? followed by a space and a capital or an opening quote. */
const SENTENCE_END = /(?<=[。！？])|(?<=[.!?]["”’]?)\s+(?=[A-Z"“‘])/u;

function sentencesOf(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
const MAX_SUGGESTIONS = 4;

/** Builds replies from content. Holds no state; every string comes from content/. */
export class ReplyComposer {
  readonly entries: ReadonlyMap<string, Entry>;
  readonly recommendations: readonly Entry[];
  private readonly blockText: ReadonlyMap<string, string>;

  constructor(
    readonly content: Content,
    private readonly convert: ScriptConverter,
  ) {
    this.entries = new Map(content.knowledge.entries.map((e) => [e.id, e]));
    this.recommendations = content.knowledge.entries.filter((e) => e.kind === 'recommendation').sort((a, b) => (a.n ?? 0) - (b.n ?? 0));
    this.blockText = new Map(content.article.blocks.map((b) => [b.id, b.text]));
  }

  text(key: UiKey, lang: Lang, vars: Record<string, string | number> = {}): string {
    return this.content.ui[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  }

  /**
   * A verbatim quote as shown to the reader: Simplified readers see it converted, and the label
   * says so; everyone else sees the article's own characters, labelled as the original.
   */
  quoteBlock(citation: Citation, lang: Lang): ReplyBlock {
    const converted = lang === 'zh-Hans' ? this.convert.toLang(citation.quote, lang) : citation.quote;
    const key: UiKey = converted !== citation.quote ? 'convertedQuoteLabel' : lang === 'en' ? 'originalQuoteLabel' : 'quoteLabel';
    return { type: 'quote', text: converted, blockId: citation.block, label: this.text(key, lang) };
  }

  /** Citations carry the article's exact words: each quote is a substring of its block in article.json. */
  citations(citations: readonly Citation[], _lang?: Lang): Reply['citations'] {
    return citations.map((c) => ({ block: c.block, quote: c.quote }));
  }

  fromEntry(entry: Entry, lang: Lang): Reply {
    if (entry.id === ADVICE_LIST_ID) return this.adviceList(lang);
    const blocks = this.byParagraph(entry, lang) ?? [
      { type: 'paragraph', text: entry.answer[lang] },
      ...entry.citations.slice(0, MAX_QUOTES_SHOWN).map((c) => this.quoteBlock(c, lang)),
    ];
    return {
      kind: KIND_OF_ENTRY[entry.kind],
      lang,
      blocks,
      citations: this.citations(entry.citations, lang),
      suggestions: this.suggestionsFor(entry, lang),
      source: 'offline',
      entryId: entry.id,
    };
  }

  /**
   * A long answer that retells the article one sentence per paragraph (the long summary, what
   * "tell me more" leads to) as short sections: each sentence, then a quote from its paragraph.
   * Undefined for any other answer, which stays one paragraph with its first quotes.
   */
  private byParagraph(entry: Entry, lang: Lang): ReplyBlock[] | undefined {
    const firstQuote = new Map<string, Citation>();
    for (const c of entry.citations) if (!firstQuote.has(c.block)) firstQuote.set(c.block, c);
    const cited = [...firstQuote.values()];
    const sentences = sentencesOf(entry.answer[lang]);
    if (cited.length < MIN_SECTIONS || sentences.length !== cited.length) return undefined;
    // Paired only when the quotes follow the article's order, as the sentences do.
    const order = [...this.blockText.keys()];
    const positions = cited.map((c) => order.indexOf(c.block));
    if (positions.some((at, i) => at < 0 || (i > 0 && at <= (positions[i - 1] as number)))) return undefined;
    return cited.flatMap((c, i): ReplyBlock[] => [{ type: 'paragraph', text: sentences[i] as string }, this.quoteBlock(c, lang)]);
  }

  adviceList(lang: Lang): Reply {
    const intro = this.entries.get(ADVICE_LIST_ID);
    const blocks: ReplyBlock[] = [{ type: 'heading', text: this.text('adviceListTitle', lang) }];
    if (intro) blocks.push({ type: 'paragraph', text: intro.answer[lang] });
    blocks.push({ type: 'list', ordered: true, items: this.recommendations.map((r) => this.listItem(r, lang)) });
    const cited = [...(intro?.citations ?? []), ...this.recommendations.flatMap((r) => r.citations.slice(0, 1))];
    return {
      kind: 'answer',
      lang,
      blocks,
      citations: this.citations(cited, lang),
      suggestions: this.recommendations.map(
        (r) => ({ label: this.text('suggestRecommendation', lang, { n: r.n ?? 0 }), action: { type: 'entry', id: r.id } }) as Suggestion,
      ),
      source: 'offline',
      entryId: ADVICE_LIST_ID,
    };
  }

  /** A recommendation as an item of the list, whose lead-in already says "according to the article". */
  private listItem(entry: Entry, lang: Lang): string {
    const lead = this.text('attributionLead', lang);
    const text = entry.answer[lang];
    if (!text.startsWith(lead)) return text;
    const rest = text.slice(lead.length).trimStart();
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }

  /** Reply without an entry: clarify, out of scope, not covered. Offers example questions. */
  guidance(kind: ReplyKind, key: UiKey, lang: Lang): Reply {
    return {
      kind,
      lang,
      blocks: [
        { type: 'paragraph', text: this.text(key, lang) },
        { type: 'list', ordered: false, items: this.text('exampleQuestions', lang).split('|') },
      ],
      citations: [],
      suggestions: this.defaultSuggestions(lang),
      source: 'offline',
    };
  }

  /**
   * The article does not say what was asked about `subject`: said plainly, then what it does say
   * of it (its `about` entry, cited), as `not_in_article`.
   */
  notStated(subject: Subject, lang: Lang): Reply {
    const about = this.entries.get(subject.about);
    const lead = this.text('notStated', lang, { subject: subject.label[lang] });
    if (!about) return { ...this.guidance('not_in_article', 'notCovered', lang) };
    const said = this.fromEntry(about, lang);
    return { ...said, kind: 'not_in_article', blocks: [{ type: 'paragraph', text: lead }, ...said.blocks] };
  }

  /** Not stated, about a subject whose facts the same reply has just given: they are not repeated. */
  notStatedBeyond(subject: Subject, lang: Lang): Reply {
    const text = this.text('notStatedBeyond', lang, { subject: subject.label[lang] });
    return { ...this.guidance('not_in_article', 'notCovered', lang), blocks: [{ type: 'paragraph', text }], entryId: subject.about };
  }

  /** "Did you mean…": the two or three readings the bot hesitates between, as buttons. */
  askBack(options: readonly Entry[], lang: Lang): Reply {
    const labels = options.map((e) => this.labelOf(e, lang));
    return {
      kind: 'clarify',
      lang,
      blocks: [
        { type: 'paragraph', text: this.text('askBack', lang) },
        { type: 'list', ordered: false, items: labels },
      ],
      citations: [],
      suggestions: options.map((e, i) => ({ label: labels[i] as string, action: { type: 'entry', id: e.id } })),
      source: 'offline',
    };
  }

  /**
   * Several questions answered in one reply: each part's text and its first quote, in order.
   * It is an `answer` only when every part is answered; otherwise it says the first thing that
   * was not (the article does not say, declined…).
   */
  combine(parts: readonly Reply[], lang: Lang): Reply {
    const order: Reply['kind'][] = ['not_in_article', 'refused', 'out_of_scope', 'clarify'];
    const kind = order.find((k) => parts.some((p) => p.kind === k)) ?? 'answer';
    const blocks: ReplyBlock[] = parts.flatMap((p) => {
      const quote = p.blocks.find((b) => b.type === 'quote');
      const rest = p.blocks.filter((b) => b.type !== 'quote');
      return quote ? [...rest, quote] : rest;
    });
    const seen = new Set<string>();
    const citations = parts
      .flatMap((p) => p.citations)
      .filter((c) => {
        const key = `${c.block}\u0000${c.quote}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    const last = parts.at(-1);
    return {
      kind,
      lang,
      blocks,
      citations,
      suggestions: parts[0]?.suggestions ?? [],
      source: 'offline',
      ...(last?.entryId ? { entryId: last.entryId } : {}),
    };
  }

  /** The reply with a lead-in before its first paragraph ("Yes:", "Not exactly:"). */
  lead(reply: Reply, key: UiKey): Reply {
    const lead = this.text(key, reply.lang);
    let done = false;
    const blocks = reply.blocks.map((b): ReplyBlock => {
      if (done || b.type !== 'paragraph') return b;
      done = true;
      // English leads ("Yes:") are followed by a space; Chinese ones (是的。) are not.
      const text = reply.lang === 'en' ? ` ${b.text.charAt(0).toLowerCase()}${b.text.slice(1)}` : b.text;
      return { ...b, text: `${lead}${text}` };
    });
    return { ...reply, blocks };
  }

  notice(reply: Reply, text: string): Reply {
    return { ...reply, blocks: [{ type: 'notice', text }, ...reply.blocks] };
  }

  defaultSuggestions(lang: Lang): Suggestion[] {
    return [
      { label: this.text('suggestSummary', lang), action: { type: 'command', command: 'summary' } },
      { label: this.text('suggestAdvice', lang), action: { type: 'command', command: 'advice' } },
      { label: this.text('suggestSource', lang), action: { type: 'command', command: 'source' } },
    ];
  }

  /** One article block in full, as a quote (the "source paragraph" button). */
  blockReply(blockId: string, lang: Lang): Reply | undefined {
    const text = this.blockText.get(blockId);
    if (text === undefined) return undefined;
    const citation = { block: blockId, quote: text };
    return {
      kind: 'answer',
      lang,
      blocks: [this.quoteBlock(citation, lang)],
      citations: this.citations([citation], lang),
      suggestions: this.defaultSuggestions(lang),
      source: 'offline',
    };
  }

  private suggestionsFor(entry: Entry, lang: Lang): Suggestion[] {
    const out: Suggestion[] = [];
    const firstBlock = entry.citations[0]?.block;
    if (firstBlock && (entry.kind === 'fact' || entry.kind === 'recommendation')) {
      out.push({ label: this.text('suggestParagraph', lang), action: { type: 'block', id: firstBlock } });
    }
    if (entry.why) out.push({ label: this.text('suggestWhy', lang), action: { type: 'entry', id: entry.why } });
    for (const id of entry.related) {
      const target = this.entries.get(id);
      if (target && target.id !== entry.why) out.push({ label: this.labelOf(target, lang), action: { type: 'entry', id } });
    }
    if (!out.some((s) => s.action.type === 'entry' && s.action.id === ADVICE_LIST_ID) && entry.id !== ADVICE_LIST_ID) {
      out.push({ label: this.text('suggestAdvice', lang), action: { type: 'command', command: 'advice' } });
    }
    return out.slice(0, MAX_SUGGESTIONS);
  }

  labelOf(entry: Entry, lang: Lang): string {
    if (entry.kind === 'recommendation') return this.text('suggestRecommendation', lang, { n: entry.n ?? 0 });
    return entry.questions[lang][0] as string;
  }

  /**
   * The cleaned article, block by block, quoted like any citation: renderers already show the
   * block id next to the label, so the label says what the text is ("原文"), not the id again.
   */
  articleBlocks(lang: Lang): ReplyBlock[] {
    return this.content.article.blocks.map((b) => this.quoteBlock({ block: b.id, quote: b.text }, lang));
  }

  /** The language a text's script points to, if any (Latin letters count as English). */
  writtenLang(text: string): Lang | undefined {
    return detectScript(text, this.convert).lang;
  }

  hasBlock(id: string): boolean {
    return this.blockText.has(id);
  }
}
