import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import {
  answerJsonSchema,
  answerResponseFormat,
  generatedAnswerSchema,
  parseWireAnswer,
  parseWireAnswerText,
} from '../../../src/core/providers/answer-schema';
import { REFUSAL, SAMPLE_ANSWER } from '../../fake-providers/fixtures';

/** Every object schema, walking properties and items. */
function objectSchemas(schema: Record<string, unknown>): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = schema['type'] === 'object' ? [schema] : [];
  const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  const children = [...Object.values(properties), ...(schema['items'] ? [schema['items'] as Record<string, unknown>] : [])];
  return [...found, ...children.flatMap(objectSchemas)];
}

describe('answer schema', () => {
  it('accepts the domain answer shapes', () => {
    expect(generatedAnswerSchema.parse(SAMPLE_ANSWER)).toEqual(SAMPLE_ANSWER);
    expect(generatedAnswerSchema.parse(REFUSAL)).toEqual(REFUSAL);
    expect(generatedAnswerSchema.safeParse({ ...SAMPLE_ANSWER, sentences: [{ text: 'x', citations: [{ source: 0, quote: 'q' }] }] }).success).toBe(false);
    expect(generatedAnswerSchema.safeParse({ ...SAMPLE_ANSWER, sentences: [{ text: 'x', citations: [{ source: 1.5, quote: 'q' }] }] }).success).toBe(false);
  });

  it('maps the wire refusalReason: null or absent → absent, a string kept', () => {
    expect(parseWireAnswer({ ...SAMPLE_ANSWER, refusalReason: null }, 'test')).toEqual(SAMPLE_ANSWER);
    expect(parseWireAnswer({ ...SAMPLE_ANSWER, refusalReason: null }, 'test')).not.toHaveProperty('refusalReason');
    expect(parseWireAnswer(SAMPLE_ANSWER, 'test')).toEqual(SAMPLE_ANSWER);
    expect(parseWireAnswer(REFUSAL, 'test')).toEqual(REFUSAL);
  });

  it('raises PROVIDER_BAD_OUTPUT for invalid JSON and for schema mismatches', () => {
    for (const bad of [() => parseWireAnswerText('{"refused": tru', 'test'), () => parseWireAnswer({ refused: 'no' }, 'test')]) {
      expect(bad).toThrow(AppError);
      try {
        bad();
      } catch (error) {
        expect((error as AppError).code).toBe('PROVIDER_BAD_OUTPUT');
      }
    }
  });

  it('is a valid OpenAI strict schema: every object closed, every property required', () => {
    expect(answerResponseFormat.json_schema.strict).toBe(true);
    const objects = objectSchemas(answerJsonSchema);
    expect(objects).toHaveLength(3);
    for (const object of objects) {
      expect(object['additionalProperties']).toBe(false);
      expect([...(object['required'] as string[])].sort()).toEqual(Object.keys(object['properties'] as object).sort());
    }
    expect(answerJsonSchema.properties.refusalReason.type).toEqual(['string', 'null']);
  });
});
