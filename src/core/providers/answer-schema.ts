/**
 * The generated-answer schema, once in zod (the domain type) and once as the JSON
 * Schema the providers are given (OpenAI structured output, the Anthropic tool input).
 *
 * Wire differences: OpenAI strict mode needs every property required and no
 * additional properties, so `refusalReason` is a required nullable string on the
 * wire; `parseWireAnswer` maps null (or absence) to undefined.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import type { GeneratedAnswer } from './ports';

const citationSchema = z.object({
  source: z.number().int().min(1),
  quote: z.string(),
});

const sentenceSchema = z.object({
  text: z.string(),
  citations: z.array(citationSchema),
});

/** The domain shape (what every generator returns). */
export const generatedAnswerSchema = z.object({
  refused: z.boolean(),
  refusalReason: z.string().optional(),
  sentences: z.array(sentenceSchema),
}) satisfies z.ZodType<GeneratedAnswer>;

/** What a model sends: refusalReason may be null (strict wire) or absent (lenient tool input). */
export const wireAnswerSchema = z
  .object({
    refused: z.boolean(),
    refusalReason: z.string().nullable().optional(),
    sentences: z.array(sentenceSchema),
  })
  .transform(({ refusalReason, ...rest }): GeneratedAnswer =>
    refusalReason === null || refusalReason === undefined ? rest : { ...rest, refusalReason },
  );

/** JSON Schema of the wire answer; valid under OpenAI strict mode and as an Anthropic tool input_schema. */
export const answerJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['refused', 'refusalReason', 'sentences'],
  properties: {
    refused: { type: 'boolean', description: 'true when the sources do not answer the question' },
    refusalReason: { type: ['string', 'null'], description: 'why the sources do not answer; null when answering' },
    sentences: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'citations'],
        properties: {
          text: { type: 'string' },
          citations: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['source', 'quote'],
              properties: {
                source: { type: 'integer', minimum: 1, description: 'the source label n of [n]' },
                quote: { type: 'string', description: 'a short verbatim quote from that source' },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const ANSWER_SCHEMA_NAME = 'answer';

/** OpenAI chat.completions `response_format`. */
export const answerResponseFormat = {
  type: 'json_schema',
  json_schema: { name: ANSWER_SCHEMA_NAME, strict: true, schema: answerJsonSchema },
} as const;

/** Validates an already-parsed model output; anything else is PROVIDER_BAD_OUTPUT. */
export function parseWireAnswer(value: unknown, provider: string): GeneratedAnswer {
  const parsed = wireAnswerSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('PROVIDER_BAD_OUTPUT', `${provider} returned an answer that does not match the schema`, {
      details: { provider, issues: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`) },
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** Parses the raw JSON text a model produced (the concatenated stream, or the message content). */
export function parseWireAnswerText(text: string, provider: string): GeneratedAnswer {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('PROVIDER_BAD_OUTPUT', `${provider} returned output that is not valid JSON`, {
      details: { provider, length: text.length },
      cause: error,
    });
  }
  return parseWireAnswer(value, provider);
}

/**
 * Refusal reasons the adapters give when the provider, not the sources, stopped the answer:
 * `provider_refusal` (the model declined: Anthropic stop_reason `refusal`, OpenAI `message.refusal`) and
 * `content_filter` (OpenAI finish_reason `content_filter`: the provider's filter withheld the output).
 * Both are answers, not failures: a safety decision is not retried or routed around to another provider.
 */
export const PROVIDER_REFUSAL_REASONS = ['provider_refusal', 'content_filter'] as const;
export type ProviderRefusalReason = (typeof PROVIDER_REFUSAL_REASONS)[number];

export function providerRefusal(reason: ProviderRefusalReason): GeneratedAnswer {
  return { refused: true, refusalReason: reason, sentences: [] };
}
