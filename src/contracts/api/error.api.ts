/**
 * The body of every error answer (the error catalogue, contracts/errors.ts), as a response schema:
 * routes declare it for their 4xx and 5xx answers so that the API reference shows it and the web
 * app reads errors with the same type.
 *
 * @example
 *   schema: { response: { 200: queuePageSchema, ...errorResponses } }
 */
import { z } from 'zod';

export const errorIssueSchema = z.object({
  /** JSON pointer into the request (`/query/priority/0`, `/facts/conduct`). */
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
});

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().describe('A stable code of the error catalogue, e.g. TIP_ERR_TRIAGE_NOT_FOUND'),
      message: z.string(),
      issues: z.array(errorIssueSchema).optional(),
    }),
  })
  .describe('An error of the catalogue');
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** Client and server errors, for a route's `response` (status patterns Fastify understands). */
export const errorResponses = { '4xx': errorResponseSchema, '5xx': errorResponseSchema } as const;
