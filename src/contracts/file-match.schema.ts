/**
 * A file's match against a hash-bank entry, as the API presents it: found by analysis, shown by
 * the report views of intake and the web app.
 */
import { z } from 'zod';

export const presentedMatchSchema = z.object({
  bankId: z.string(),
  bankName: z.string(),
  entryId: z.string(),
  kind: z.enum(['exact', 'pdq']),
  /** Hamming distance of the PDQ hashes; 0 for an exact digest match. */
  distance: z.number().int(),
  category: z.string().nullable(),
  matchedAt: z.string(),
});

export type PresentedMatch = z.infer<typeof presentedMatchSchema>;

/** Matches of the given files, by file id (provided to intake by analysis, through the assembly point). */
export type FileMatchLookup = (fileIds: string[]) => Promise<ReadonlyMap<string, PresentedMatch[]>>;
