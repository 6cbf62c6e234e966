import { z } from 'zod';

/** Languages in which labels and terms are written (BCP 47 short codes, as users know them). */
export const TERM_LANGUAGES = ['nb', 'nn', 'sv', 'da', 'fi', 'en'] as const;
export type TermLanguage = (typeof TERM_LANGUAGES)[number];

const perLanguage = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(TERM_LANGUAGES.map((l) => [l, value])) as Record<TermLanguage, T>).strict();

const termList = z.array(z.string().trim().min(1)).min(1, 'at least one term per language');

export const themeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lower-case slug (a-z, 0-9, -)'),
    labels: perLanguage(z.string().min(1)),
    terms: perLanguage(termList),
    exclude: z.object(Object.fromEntries(TERM_LANGUAGES.map((l) => [l, termList.optional()]))).strict().optional(),
    /** Points a theme needs before it is assigned (a term in the title counts 3; src/pipeline/themes/index.ts holds the weights). */
    threshold: z.number().positive().default(2),
    /**
     * Different terms of the theme an article must name before it is assigned (one when absent), unless
     * a defining phrase names it or a term of the title comes back in the text. For themes whose words
     * are everyday words of the field (SMEs, employment, digital services), so that one of them does not tag.
     */
    distinctTerms: z.number().int().positive().optional(),
  })
  .strict();

export const taxonomySchema = z
  .object({
    version: z.number().int().positive(),
    /**
     * Names of ministries, agencies, funds and programmes ("Innovasjon Norge", "Tillväxtverket"). Their
     * words are no evidence for any theme: a sender's or funder's name says nothing of the topic.
     */
    organisations: z.array(z.string().trim().min(1)).optional(),
    themes: z.array(themeSchema).min(1),
  })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.themes.forEach((theme, i) => {
      if (seen.has(theme.id)) ctx.addIssue({ code: 'custom', path: ['themes', i, 'id'], message: `duplicate theme id "${theme.id}"` });
      seen.add(theme.id);
    });
  });

export type Theme = z.output<typeof themeSchema>;
export type Taxonomy = z.output<typeof taxonomySchema>;
