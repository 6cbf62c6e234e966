import { z } from 'zod';

/** The tagger looks only where a word starts with a capital letter (regions/index.ts): a name must start with one. */
const name = z
  .string()
  .trim()
  .min(2)
  .regex(/^[A-ZÀ-ÖØ-ÞĀ-Ž]/, 'must start with a capital letter, as the name is written in running text');

export const gazetteerSchema = z
  .object({
    /** Raised with every change, so that stored articles can be re-tagged. */
    version: z.number().int().min(1),
    regions: z
      .array(
        z
          .object({
            code: z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code such as NO-18'),
            country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NO'),
            names: z.array(name).min(1, 'a region needs at least one name'),
            /** Municipalities, towns and areas that stand for the region ("Tromsø", "Turku", "Bornholm"). */
            places: z.array(name).default([]),
            /**
             * The country's capital, when it lies in the region: it counts only where the text is about the
             * city, not where it names it as the seat of a national body ("departementet i Oslo").
             */
            capital: z.array(name).default([]),
            exclude: z.array(z.string().trim().min(2)).default([]),
          })
          .strict()
          .refine((r) => r.code.startsWith(`${r.country}-`), { message: 'the code must start with the country', path: ['code'] }),
      )
      .min(1),
  })
  .strict();

export type Gazetteer = z.output<typeof gazetteerSchema>['regions'];
export type GazetteerFile = z.output<typeof gazetteerSchema>;
