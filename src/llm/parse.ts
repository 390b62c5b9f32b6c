import { z } from 'zod';

const answerSchema = z.object({
  status: z.enum(['answered', 'not_in_article']).default('answered'),
  answer: z.string().trim().min(1).max(2000),
  citations: z.array(z.object({ block: z.string().trim().min(1), quote: z.string().trim().min(1) })).default([]),
});
export type ModelAnswer = z.infer<typeof answerSchema>;

/**
 * Reads the model's JSON answer tolerantly: endpoints without structured output wrap it in
 * prose or code fences. Returns undefined when there is no valid answer object.
 */
export function parseModelAnswer(raw: string): ModelAnswer | undefined {
  const candidates = [
    raw.trim(),
    raw
      .replace(/^[\s\S]*?```(?:json)?\s*/i, '')
      .replace(/```[\s\S]*$/, '')
      .trim(),
  ];
  const first = raw.indexOf('{');
  const last = raw.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(raw.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      const result = answerSchema.safeParse(JSON.parse(candidate));
      if (result.success) return result.data;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}
