/**
 * The follow-up rewrite's output, once in zod and once as the JSON Schema the providers get (OpenAI strict
 * structured output, the Anthropic forced tool's input). One field: a question short enough to search with.
 */
import { z } from 'zod';
import { AppError } from '../errors';

export const REWRITE_SCHEMA_NAME = 'standalone_question';

/** Longer than any question the API accepts (4,000 characters) is not a rewrite of one. */
export const MAX_STANDALONE_QUESTION_CHARS = 1_000;

export const rewriteOutputSchema = z.strictObject({
  standaloneQuestion: z.string().trim().min(1).max(MAX_STANDALONE_QUESTION_CHARS),
});

export const rewriteJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['standaloneQuestion'],
  properties: {
    standaloneQuestion: { type: 'string', description: 'the follow-up rewritten as one question that can be understood without the conversation' },
  },
} as const;

/** OpenAI chat.completions `response_format`. */
export const rewriteResponseFormat = {
  type: 'json_schema',
  json_schema: { name: REWRITE_SCHEMA_NAME, strict: true, schema: rewriteJsonSchema },
} as const;

/** Validates the parsed model output; anything else is PROVIDER_BAD_OUTPUT. */
export function parseRewrite(value: unknown, provider: string): string {
  const parsed = rewriteOutputSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('PROVIDER_BAD_OUTPUT', `${provider} returned a rewrite that does not match the schema`, {
      details: { provider, issues: parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`) },
      cause: parsed.error,
    });
  }
  return parsed.data.standaloneQuestion;
}

/** Parses the JSON text of a message's content. */
export function parseRewriteText(text: string, provider: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('PROVIDER_BAD_OUTPUT', `${provider} returned a rewrite that is not valid JSON`, { details: { provider, length: text.length }, cause: error });
  }
  return parseRewrite(value, provider);
}
