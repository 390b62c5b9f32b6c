import { z } from 'zod';

/** content/llm.yaml: the grounding rules and the names a model answer must not introduce. */
export const llmFileSchema = z.strictObject({
  systemPrompt: z.string().trim().min(200),
  unsupportedEntities: z.array(z.union([z.string(), z.number()]).transform(String)).min(1),
});
export type LlmContent = z.infer<typeof llmFileSchema>;
