import { z } from 'zod';
import { LANGUAGE_CODES } from '../../sources/schema.js';

export const languageMarkersSchema = z
  .object({
    markers: z.partialRecord(z.enum(LANGUAGE_CODES), z.array(z.string().trim().toLowerCase().min(1))),
  })
  .strict();

export type LanguageMarkers = z.output<typeof languageMarkersSchema>['markers'];
