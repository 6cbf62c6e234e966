import { z } from 'zod';
import { LANGUAGE_CODES } from '../../sources/schema.js';

const profileSchema = z
  .object({
    /** Letters beyond a–z that the language's ordinary spelling uses. */
    letters: z.string().transform((s) => s.toLowerCase()),
    /** Spelling habits as regular expressions over one lower-case word, counted for words in no list. */
    spellings: z
      .array(
        z.string().transform((src, ctx) => {
          try {
            return new RegExp(src, 'u');
          } catch (err) {
            ctx.addIssue({ code: 'custom', message: `not a regular expression: ${(err as Error).message}` });
            return z.NEVER;
          }
        }),
      )
      .default([]),
    /** Typical word endings, counted for words in no list. */
    endings: z.array(z.string().trim().toLowerCase().min(1)).default([]),
    /** Frequent and distinctive words. */
    words: z.array(z.string().trim().toLowerCase().min(1)).min(10, 'list at least 10 words'),
  })
  .strict();

export const languageProfilesSchema = z
  .object({ languages: z.partialRecord(z.enum(LANGUAGE_CODES), profileSchema) })
  .strict()
  .refine((f) => Object.keys(f.languages).length >= 2, 'at least two languages are needed');

export type LanguageProfiles = z.output<typeof languageProfilesSchema>['languages'];
