import { z } from 'zod';

export const LANGUAGE_CODES = ['nob', 'nno', 'swe', 'dan', 'fin', 'isl', 'eng', 'sme', 'fao'] as const;
export type LanguageCode = (typeof LANGUAGE_CODES)[number];

/** "90s", "15m", "2h", "1d" → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 90s, 15m, 2h or 1d` });
    return z.NEVER;
  }
  return ms;
});

const httpUrl = z.string().url().refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

export const listingSelectorsSchema = z
  .object({
    item: z.string().min(1),
    title: z.string().min(1),
    link: z.string().min(1),
    date: z.string().min(1).optional(),
    /** date-fns pattern, e.g. "dd.MM.yyyy" or "d MMMM yyyy". */
    dateFormat: z.string().min(1).optional(),
    /** Locale of month names in the date: nb, nn, sv, da, fi, en. */
    locale: z.enum(['nb', 'nn', 'sv', 'da', 'fi', 'en']).default('en'),
    summary: z.string().min(1).optional(),
    /** A label naming the document type (e.g. "Høring"), used to recognise consultations. */
    type: z.string().min(1).optional(),
    /** Issuing department(s); a comma-separated text becomes a list. */
    department: z.string().min(1).optional(),
    /** Where a response deadline is stated ("Høringsfrist: 14.08.2026"). */
    deadline: z.string().min(1).optional(),
    /** The link to the next (older) page of the listing. */
    next: z.string().min(1).optional(),
    /** Pages read per run, following `next`; bounded because each is one more request to the site. */
    pages: z.number().int().min(1).max(5).default(1),
  })
  .strict();

/** A sender's address, or "@domain" for any address of that domain (subdomains included). */
const senderPattern = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([^\s@]+@[^\s@]+\.[^\s@]+|@[^\s@]+\.[^\s@]+)$/, 'must be an e-mail address or "@domain"');

export const newsletterSchema = z
  .object({
    /**
     * Local part of the source's inbound address, `<token>@INBOUND_DOMAIN`. Defaults to the source id;
     * a random token keeps strangers from writing to it.
     */
    token: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._+-]{1,63}$/, 'must be 2–64 characters a-z, 0-9, ".", "_", "+", "-"')
      .optional(),
    /** IMAP folder (in IMAP_URL's account) whose messages are this source's issues. */
    mailbox: z.string().min(1).optional(),
    /** Who may publish: senders (addresses or "@domain"); mail from others goes to the operator's inbox. */
    from: z.array(senderPattern).default([]),
    /** List-Id values (the part in angle brackets, or the whole header) that mark this newsletter. */
    listId: z.array(z.string().trim().toLowerCase().min(3)).default([]),
    /** Publish only mail whose DMARC, or failing that DKIM, passed (mailauth's verdicts are kept on the article either way). */
    requireAuth: z.boolean().default(false),
  })
  .strict();

export const sourceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lower-case slug (a-z, 0-9, -)'),
    name: z.string().min(1),
    homepage: httpUrl.optional(),
    url: httpUrl,
    /**
     * `feed` and `listing` are fetched from `url`; a `newsletter` arrives by e-mail (its `newsletter`
     * block says how), and its `url` is the page where one subscribes: shown to readers, never fetched.
     */
    kind: z.enum(['feed', 'listing', 'newsletter']),
    language: z.enum(LANGUAGE_CODES).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NO or SE'),
    region: z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code such as SE-AB').optional(),
    schedule: z
      .object({
        every: duration.refine((ms) => ms >= 60_000, 'must be at least 1m: sources are fetched politely'),
        jitter: z.number().min(0).max(0.5).default(0.1),
      })
      .strict()
      .default({ every: 3_600_000, jitter: 0.1 }),
    listing: listingSelectorsSchema.optional(),
    /**
     * Full-article extraction for items whose feed or listing carries only a summary: the page is
     * fetched and its body taken with `selector`, or found by Readability when there is none.
     */
    fullText: z
      .object({
        selector: z.string().min(1).optional(),
        /** Article pages fetched per run at most; the rest keep their summary until a later run changes them. */
        maxPerRun: z.number().int().min(1).max(50).default(10),
      })
      .strict()
      .optional(),
    newsletter: newsletterSchema.optional(),
    /**
     * PDFs linked from an item (or an item link that is a PDF) are fetched and their text used for
     * language, themes, regions and search. Off unless given.
     */
    documents: z
      .object({
        /** Documents fetched per run at most (the rest wait for the item's next change). */
        maxPerRun: z.number().int().min(1).max(20).default(3),
        /** Larger documents are refused unread. */
        maxBytes: z.number().int().min(10_000).max(100_000_000).default(20_000_000),
      })
      .strict()
      .optional(),
    example: httpUrl.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.kind === 'newsletter') {
      if (!s.newsletter) ctx.addIssue({ code: 'custom', path: ['newsletter'], message: 'a newsletter source needs a newsletter block (token, mailbox, from or listId)' });
      for (const key of ['listing', 'fullText'] as const) {
        if (s[key]) ctx.addIssue({ code: 'custom', path: [key], message: `a newsletter source is not fetched: ${key} does not apply` });
      }
    } else if (s.newsletter) {
      ctx.addIssue({ code: 'custom', path: ['newsletter'], message: `only a source of kind newsletter takes a newsletter block (this one is a ${s.kind})` });
    }
    if (s.kind === 'listing' && !s.listing) {
      ctx.addIssue({ code: 'custom', path: ['listing'], message: 'a listing source needs listing selectors (item, title, link)' });
    }
    if (s.listing && s.listing.pages > 1 && !s.listing.next) {
      ctx.addIssue({ code: 'custom', path: ['listing', 'next'], message: 'pages > 1 needs a next selector' });
    }
    if (s.listing?.dateFormat && !s.listing.date) {
      ctx.addIssue({ code: 'custom', path: ['listing', 'date'], message: 'dateFormat is given but no date selector' });
    }
  });

export const sourcesFileSchema = z
  .object({ sources: z.array(sourceSchema).min(1, 'at least one source is needed') })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.sources.forEach((s, i) => {
      const first = seen.get(s.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate id "${s.id}" (first at sources.${first})` });
      } else seen.set(s.id, i);
    });
    const tokens = new Map<string, number>();
    file.sources.forEach((s, i) => {
      if (s.kind !== 'newsletter') return;
      const token = inboundToken(s);
      const first = tokens.get(token);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'newsletter', 'token'], message: `inbound address "${token}" is taken by sources.${first}` });
      } else tokens.set(token, i);
    });
  });

export type Source = z.output<typeof sourceSchema>;
export type NewsletterSettings = z.output<typeof newsletterSchema>;

/** The local part of a newsletter source's inbound address. */
export const inboundToken = (s: Pick<Source, 'id' | 'newsletter'>): string => s.newsletter?.token ?? s.id;
export type ListingSelectors = z.output<typeof listingSelectorsSchema>;

/** What the operator sees about a source's recent fetches (kept in the shared state store). */
export interface SourceHealth {
  lastFetchAt?: string;
  /** 'gone': the source's URL answered 404 or 410. */
  lastStatus?: 'ok' | 'not-modified' | 'error' | 'gone';
  lastError?: string;
  consecutiveFailures: number;
  lastItemCount?: number;
  /** Not before this time (ISO-8601): the server's Retry-After. */
  notBefore?: string;
  /** Set when the operator paused the source, with their reason. */
  operatorPause?: string;
}
