import { z } from 'zod';

/** Where the CLI finds the server and its key: flags first, then ATTEST_URL / ATTEST_API_KEY. */
export interface CliConfig {
  url: string;
  apiKey: string;
}

const configSchema = z.object({
  url: z.string().url('ATTEST_URL / --url must be a URL such as http://127.0.0.1:3000'),
  apiKey: z.string().min(1, 'set ATTEST_API_KEY or pass --api-key'),
});

export function cliConfig(flags: { url?: string | undefined; 'api-key'?: string | undefined }, env: NodeJS.ProcessEnv = process.env): CliConfig {
  const parsed = configSchema.safeParse({ url: flags.url ?? env.ATTEST_URL ?? 'http://127.0.0.1:3000', apiKey: flags['api-key'] ?? env.ATTEST_API_KEY ?? '' });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

/** Wrong use of the command: exit code 2 with the message and the usage. */
export class UsageError extends Error {}

/** An API error the CLI reports in one line: `CODE: message`. */
export function apiErrorLine(error: unknown, status?: number): string {
  const body = error as { error?: { code?: string; message?: string } } | undefined;
  if (body?.error?.code) return `${body.error.code}: ${body.error.message ?? ''}`;
  return `HTTP ${status ?? '?'}`;
}
