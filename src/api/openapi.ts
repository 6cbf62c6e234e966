import { z } from 'zod';
import { LANGUAGE_CODES, sourceSchema } from '../model/source.js';
import { TERM_LANGUAGES } from '../pipeline/themes/schema.js';
import { articleIdSchema, opmlCountrySchema, querySchemas } from './params.js';
import { FEED_DEFAULT_LIMIT } from './routes/feeds.js';
import { subscriptionFilterSchema, subscriptionInputSchema } from '../subscriptions/model.js';
import { WEBHOOK_FORMATS, webhookInputSchema } from '../webhooks/model.js';

/**
 * The OpenAPI 3.1 description of the JSON API (/api/openapi.json), built from the zod schemas the
 * routes validate with: each query parameter is z.toJSONSchema() of the parameter's own schema in
 * `querySchemas` (params.ts), so a parameter added, removed or narrowed there changes the document
 * too. Responses are described by the zod schemas below, which the unit tests hold real answers to.
 */

type JsonSchema = Record<string, unknown>;

/** RFC 9457 problem details, as problem.ts sends them (application/problem+json). */
export const problemSchema = z
  .object({
    type: z.string().describe('about:blank: the status title says it all'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    parameter: z.string().optional().describe('The query or path parameter at fault (400)'),
  })
  .strict()
  .describe('RFC 9457 problem details');

const themeTagView = z.object({ id: z.string(), label: z.string(), score: z.number(), terms: z.array(z.string()).describe('The words that triggered the tag') }).strict();
const regionTag = z.object({ code: z.string(), name: z.string(), terms: z.array(z.string()) }).strict();

/** Another report of an article's story (view.ts, mateView). */
const storyMateSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    url: z.string(),
    source: z.string(),
    language: z.string(),
    publishedAt: z.string(),
    duplicate: z.boolean().describe('A near-copy of the article (the same text under another URL), listed here instead of on its own'),
  })
  .strict();

/** An article in a list (view.ts, articleView without the body). */
export const articleSummarySchema = z
  .object({
    id: z.string(),
    url: z.string(),
    title: z.string(),
    summary: z.string(),
    author: z.string().optional(),
    publishedAt: z.string().describe('ISO-8601, UTC'),
    publishedAtOriginal: z.string().optional().describe("The source's own date when it was implausible and publishedAt became the fetch time"),
    fetchedAt: z.string(),
    source: z.string().describe('The source whose version is shown'),
    sources: z.array(z.string()).describe('Every source that carried the article, `source` first'),
    language: z.string().describe(`ISO 639-3: ${LANGUAGE_CODES.join(', ')} or und`),
    languageConfidence: z.number(),
    themes: z.array(themeTagView),
    regions: z.array(regionTag),
    countries: z.array(z.string()),
    documentType: z.enum(['consultation']).nullable(),
    deadline: z.string().nullable().describe("A consultation's response deadline, ISO-8601"),
    departments: z.array(z.string()),
    documents: z
      .array(z.object({ url: z.string(), title: z.string().nullable(), pages: z.number().int(), bytes: z.number().int() }).strict())
      .describe('PDFs the item links to, read for language, themes, regions and search'),
    mailAuth: z
      .object({ spf: z.string(), dkim: z.string(), dmarc: z.string() })
      .strict()
      .nullable()
      .describe('For a newsletter issue: the SPF, DKIM and DMARC verdicts on the message'),
    story: z.string().describe('The story the article belongs to (GET /api/stories/{id}); an article reported nowhere else is a story of its own'),
    alsoReportedBy: z.array(storyMateSchema).describe('Other reports of the same story, oldest first; near-copies of this article marked `duplicate`'),
  })
  .strict();

/** One article with its sanitized HTML body (GET /api/articles/{id}). */
export const articleSchema = articleSummarySchema.extend({ contentHtml: z.string().describe('Sanitized HTML') }).strict();

const page = { nextCursor: z.string().nullable(), next: z.string().nullable().describe('The next page as a path with its query, or null') };

export const articleListSchema = z.object({ items: z.array(articleSummarySchema), ...page }).strict();

/** One story: the reports of one event across sources and languages (routes/stories.ts). */
export const storySchema = z
  .object({
    id: z.string(),
    title: z.string().describe("The title of the story's first report"),
    firstPublishedAt: z.string(),
    lastPublishedAt: z.string(),
    sources: z.array(z.string()),
    languages: z.array(z.string()),
    themes: z.array(z.string()).describe('Theme ids of any of its reports'),
    articles: z.array(storyMateSchema).describe('Its reports, oldest first, near-copies included and marked'),
  })
  .strict();
export const storyListSchema = z.object({ items: z.array(storySchema) }).strict();

const counts = z.record(z.string(), z.number().int());
export const searchResultSchema = z
  .object({
    total: z.number().int(),
    items: z.array(
      articleSummarySchema
        .extend({
          highlight: z
            .object({ title: z.string(), snippet: z.string() })
            .strict()
            .describe('HTML: the words that matched the query in <mark>, the rest escaped'),
        })
        .strict(),
    ),
    facets: z.object({ themes: counts, languages: counts, sources: counts, countries: counts }).strict().describe('Hit counts per value'),
    ...page,
  })
  .strict();

export const themesSchema = z
  .object({
    version: z.number().int(),
    items: z.array(
      z
        .object({
          id: z.string(),
          labels: z.object(Object.fromEntries(TERM_LANGUAGES.map((l) => [l, z.string()]))).strict(),
          count: z.number().int(),
        })
        .strict(),
    ),
  })
  .strict();

const dependency = z.enum(['redis', 'store']);
export const sourcesSchema = z
  .object({
    unavailable: z.array(dependency).describe('What did not answer in time; its fields are null'),
    items: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          url: z.string(),
          homepage: z.string().nullable(),
          kind: z.enum(['feed', 'listing', 'newsletter']),
          language: z.string().nullable(),
          country: z.string(),
          enabled: z.boolean(),
          everyMs: z.number().int(),
          lastFetchAt: z.string().nullable(),
          status: z.enum(['ok', 'not-modified', 'error', 'gone', 'paused', 'never-fetched', 'unknown']),
          pausedReason: z.string().nullable(),
          lastError: z.string().nullable(),
          consecutiveFailures: z.number().int().nullable(),
          notBefore: z.string().nullable(),
          itemsInLastFetch: z.number().int().nullable(),
          itemCount: z.number().int().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export const healthSchema = z.object({ status: z.literal('ok') }).strict();
export const readySchema = z
  .object({ status: z.enum(['ready', 'not-ready']), store: z.boolean(), redis: z.boolean(), unavailable: z.array(dependency) })
  .strict();

const adminActionSchema = z
  .object({ id: z.string(), status: z.enum(['paused', 'resumed']).optional(), reason: z.string().optional(), fetch: z.literal('queued').optional() })
  .strict();

export const subscriptionAcceptedSchema = z
  .object({ status: z.literal('pending'), detail: z.string() })
  .strict()
  .describe('Nothing that identifies the subscription: only the confirmation e-mail carries its links');

/** A webhook as the admin API answers (its secret included: the receiver verifies signatures with it). */
export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    filter: subscriptionFilterSchema,
    format: z.enum(WEBHOOK_FORMATS),
    description: z.string().optional(),
    secret: z.string().describe('HMAC-SHA256 key of X-Regionradar-Signature'),
    createdAt: z.string(),
    lastDeliveredUntil: z.string().optional(),
    failures: z.number().int(),
    lastError: z.string().optional(),
    lastFailureAt: z.string().optional(),
    lastDeliveryAt: z.string().optional(),
  })
  .strict();

/** Response and body schemas by component name; `input` ones are stated as what a client sends. */
const components: Record<string, { schema: z.ZodType; io: 'input' | 'output' }> = {
  Problem: { schema: problemSchema, io: 'output' },
  ArticleSummary: { schema: articleSummarySchema, io: 'output' },
  Article: { schema: articleSchema, io: 'output' },
  ArticleList: { schema: articleListSchema, io: 'output' },
  Story: { schema: storySchema, io: 'output' },
  StoryList: { schema: storyListSchema, io: 'output' },
  SearchResult: { schema: searchResultSchema, io: 'output' },
  Themes: { schema: themesSchema, io: 'output' },
  Sources: { schema: sourcesSchema, io: 'output' },
  Health: { schema: healthSchema, io: 'output' },
  Ready: { schema: readySchema, io: 'output' },
  // The catalogue's own schema (config/sources.yaml's form: durations as "2h"), which the admin API validates with.
  SourceInput: { schema: sourceSchema, io: 'input' },
  AdminAction: { schema: adminActionSchema, io: 'output' },
  SubscriptionInput: { schema: subscriptionInputSchema, io: 'input' },
  SubscriptionAccepted: { schema: subscriptionAcceptedSchema, io: 'output' },
  WebhookInput: { schema: webhookInputSchema, io: 'input' },
  Webhook: { schema: webhookSchema, io: 'output' },
};

function toJson(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/**
 * A parameter's JSON Schema: what the validated value is (`io: 'output'`) where JSON Schema can say it
 * — a comma list is then an array of its items, with their enum or pattern — and otherwise, for a
 * parameter whose schema ends in a transform (dates, cursors), what is typed (`io: 'input'`).
 */
function parameterSchema(field: z.ZodType): JsonSchema {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(field, { io: 'output' }) as JsonSchema;
  } catch {
    json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  }
  const { $schema: _, ...rest } = json;
  return rest;
}

function parameter(name: string, where: 'query' | 'path', field: z.ZodType, change: JsonSchema = {}) {
  const { description, ...schema } = { ...parameterSchema(field), ...change };
  const list = schema.type === 'array';
  return {
    name,
    in: where,
    required: where === 'path' || !field.safeParse(undefined).success,
    ...(typeof description === 'string' ? { description: list ? `${description} (a comma list, or the parameter repeated)` : description } : {}),
    schema,
    ...(list ? { style: 'form', explode: false } : {}),
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, name: string) => ({ description, content: { 'application/json': { schema: ref(name) } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const badRequest = problem('A parameter is malformed, unknown, or names a value nobody configured; `parameter` names it');
const unavailable = problem('The store does not answer');
const queryParameters = (route: keyof typeof querySchemas, change: Record<string, JsonSchema> = {}) =>
  Object.entries(querySchemas[route]).map(([name, field]) => parameter(name, 'query', field, change[name]));

function feedPath(format: 'rss' | 'atom' | 'json', type: string, what: string) {
  const route = `/feeds/all.${format}` as const;
  return {
    [route]: {
      get: {
        tags: ['feeds'],
        summary: `${what} of the articles, with the filters of /api/articles (default ${FEED_DEFAULT_LIMIT} items)`,
        parameters: queryParameters(route, { limit: { default: FEED_DEFAULT_LIMIT } }),
        responses: {
          200: { description: `${what}, titled by its filter; ETag`, content: { [type]: { schema: { type: 'string' } } } },
          304: { description: 'Not modified (If-None-Match)' },
          400: badRequest,
          503: unavailable,
        },
      },
    },
  };
}

const adminId = parameter('id', 'path', (sourceSchema.shape.id as z.ZodType).describe('Source id'));
const adminSecurity = [{ adminToken: [] }];
const adminResponses = {
  401: problem('No bearer token, or not the one in ADMIN_TOKEN'),
  404: problem('No source has this id'),
};
const sourceBody = { required: true, content: { 'application/json': { schema: ref('SourceInput') } } };
const webhookBody = { required: true, content: { 'application/json': { schema: ref('WebhookInput') } } };
const webhookId = parameter('id', 'path', z.string().describe('Webhook id'));
const webhookResponses = { 401: adminResponses[401], 404: problem('No webhook has this id') };

/** The OpenAPI 3.1 document. Pure: the same document every time. */
export function buildOpenApi() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Regionradar API',
      version: '1',
      description:
        'Nordic regional-development news: one combined stream of articles with language, themes and regions, as JSON, RSS, Atom and JSON Feed. ' +
        'Errors are RFC 9457 problem details (application/problem+json).',
    },
    tags: [
      { name: 'articles' },
      { name: 'catalogue' },
      { name: 'feeds' },
      { name: 'health' },
      { name: 'subscriptions', description: 'Present when SECRET_KEY and SMTP_URL are set' },
      { name: 'admin', description: 'Present when ADMIN_TOKEN is set; every route needs Authorization: Bearer <ADMIN_TOKEN>' },
      { name: 'meta' },
    ],
    paths: {
      '/api/articles': {
        get: {
          tags: ['articles'],
          summary: 'Articles, newest first (or by response deadline), filtered',
          parameters: queryParameters('/api/articles'),
          responses: { 200: json('A page of articles', 'ArticleList'), 400: badRequest, 503: unavailable },
        },
      },
      '/api/articles/{id}': {
        get: {
          tags: ['articles'],
          summary: 'One article with its sanitized HTML',
          parameters: [parameter('id', 'path', articleIdSchema)],
          responses: { 200: json('The article', 'Article'), 400: badRequest, 404: problem('No article has this id'), 503: unavailable },
        },
      },
      '/api/stories': {
        get: {
          tags: ['articles'],
          summary: 'Stories: articles about one event across sources and languages, latest reported first',
          parameters: queryParameters('/api/stories'),
          responses: { 200: json('Stories', 'StoryList'), 400: badRequest, 503: unavailable },
        },
      },
      '/api/stories/{id}': {
        get: {
          tags: ['articles'],
          summary: 'One story with every report of it',
          parameters: [parameter('id', 'path', articleIdSchema)],
          responses: { 200: json('The story', 'Story'), 400: badRequest, 404: problem('No story has this id'), 503: unavailable },
        },
      },
      '/api/search': {
        get: {
          tags: ['articles'],
          summary: 'Ranked full-text search across the languages, with highlights and facet counts',
          parameters: queryParameters('/api/search'),
          responses: { 200: json('Ranked hits', 'SearchResult'), 400: badRequest, 503: unavailable },
        },
      },
      '/api/themes': {
        get: { tags: ['catalogue'], summary: 'The theme taxonomy with article counts', responses: { 200: json('The themes', 'Themes'), 503: unavailable } },
      },
      '/api/sources': {
        get: {
          tags: ['catalogue'],
          summary: 'Each source with its fetch health and article count',
          responses: { 200: json('The sources; what did not answer in time is named in `unavailable`', 'Sources') },
        },
      },
      ...feedPath('rss', 'application/rss+xml', 'RSS 2.0'),
      ...feedPath('atom', 'application/atom+xml', 'Atom 1.0'),
      ...feedPath('json', 'application/feed+json', 'JSON Feed 1.1'),
      '/api/subscriptions': {
        post: {
          tags: ['subscriptions'],
          summary: 'Subscribe an address to digests or alerts of a filter; a confirmation e-mail goes out (double opt-in)',
          requestBody: { required: true, content: { 'application/json': { schema: ref('SubscriptionInput') } } },
          responses: { 202: json('A confirmation e-mail is on its way (the same answer whether or not the address is subscribed)', 'SubscriptionAccepted'), 400: badRequest },
        },
      },
      '/feeds/private/{feed}': {
        get: {
          tags: ['subscriptions'],
          summary: "A subscription's private feed: its filter as RSS, Atom or JSON Feed (the link is on its manage page)",
          parameters: [parameter('feed', 'path', z.string().regex(/^[A-Za-z0-9_-]{16,64}\.(rss|atom|json)$/).describe('The feed token and the format, e.g. 3q…Zk.atom'))],
          responses: { 200: { description: 'The feed', content: { 'application/atom+xml': { schema: { type: 'string' } } } }, 404: problem('No subscription has this feed') },
        },
      },
      '/healthz': { get: { tags: ['health'], summary: 'Liveness', responses: { 200: json('The process answers', 'Health') } } },
      '/readyz': {
        get: {
          tags: ['health'],
          summary: 'Readiness: store and Redis each answer within 500 ms',
          responses: { 200: json('Ready', 'Ready'), 503: json('Not ready; `unavailable` names what did not answer', 'Ready') },
        },
      },
      '/api/openapi.json': {
        get: { tags: ['meta'], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
      '/api/docs': {
        get: { tags: ['meta'], summary: 'This document as a page', responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } },
      },
      '/api/admin/sources': {
        get: {
          tags: ['admin'],
          security: adminSecurity,
          summary: 'The catalogue in force, in the form config/sources.yaml uses',
          responses: {
            200: { description: 'The sources', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: ref('SourceInput') } } } } } },
            401: adminResponses[401],
          },
        },
        post: {
          tags: ['admin'],
          security: adminSecurity,
          summary: 'Add a source; its first fetch is queued',
          requestBody: sourceBody,
          responses: { 201: json('The source as stored; Location names it', 'SourceInput'), 400: badRequest, 401: adminResponses[401], 409: problem('A source has this id') },
        },
      },
      '/api/admin/sources/{id}': {
        parameters: [adminId],
        get: { tags: ['admin'], security: adminSecurity, summary: 'One source', responses: { 200: json('The source', 'SourceInput'), ...adminResponses } },
        put: {
          tags: ['admin'],
          security: adminSecurity,
          summary: 'Replace a source',
          requestBody: sourceBody,
          responses: { 200: json('The source as stored', 'SourceInput'), 400: badRequest, ...adminResponses },
        },
        delete: { tags: ['admin'], security: adminSecurity, summary: 'Remove a source', responses: { 204: { description: 'Removed' }, ...adminResponses } },
      },
      '/api/admin/sources/{id}/pause': {
        parameters: [adminId],
        post: {
          tags: ['admin'],
          security: adminSecurity,
          summary: 'Stop fetching a source until it is resumed',
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { reason: { type: 'string' } } } } } },
          responses: { 200: json('Paused', 'AdminAction'), ...adminResponses },
        },
      },
      '/api/admin/sources/{id}/resume': {
        parameters: [adminId],
        post: { tags: ['admin'], security: adminSecurity, summary: 'Forget its failures and queue a fetch now', responses: { 202: json('Resumed', 'AdminAction'), ...adminResponses } },
      },
      '/api/admin/sources/{id}/refresh': {
        parameters: [adminId],
        post: { tags: ['admin'], security: adminSecurity, summary: 'Queue a fetch now', responses: { 202: json('Queued', 'AdminAction'), ...adminResponses } },
      },
      '/api/admin/webhooks': {
        get: {
          tags: ['admin'],
          security: adminSecurity,
          summary: 'The webhooks, with their secrets and delivery state',
          responses: { 200: { description: 'The webhooks', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: ref('Webhook') } } } } } }, 401: adminResponses[401] },
        },
        post: {
          tags: ['admin'],
          security: adminSecurity,
          summary: 'Add a webhook: new matching articles are posted to it, signed, in the Slack, Teams or JSON shape',
          requestBody: webhookBody,
          responses: { 201: json('The webhook with its signing secret; Location names it', 'Webhook'), 400: problem('A field is malformed, or the URL is at a private address not allow-listed'), 401: adminResponses[401] },
        },
      },
      '/api/admin/webhooks/{id}': {
        parameters: [webhookId],
        get: { tags: ['admin'], security: adminSecurity, summary: 'One webhook', responses: { 200: json('The webhook', 'Webhook'), ...webhookResponses } },
        put: { tags: ['admin'], security: adminSecurity, summary: 'Replace a webhook (its secret stays)', requestBody: webhookBody, responses: { 200: json('The webhook', 'Webhook'), 400: badRequest, ...webhookResponses } },
        delete: { tags: ['admin'], security: adminSecurity, summary: 'Remove a webhook', responses: { 204: { description: 'Removed' }, ...webhookResponses } },
      },
      '/api/admin/opml': {
        get: {
          tags: ['admin'],
          security: adminSecurity,
          summary: 'The catalogue in force as OPML 2.0',
          responses: { 200: { description: 'OPML', content: { 'text/x-opml': { schema: { type: 'string' } } } }, 401: adminResponses[401] },
        },
        post: {
          tags: ['admin'],
          security: adminSecurity,
          summary: 'Add or change sources from an OPML document; invalid outlines are listed and skipped',
          parameters: [parameter('country', 'query', opmlCountrySchema)],
          requestBody: { required: true, content: { 'text/x-opml': { schema: { type: 'string' } } } },
          responses: { 200: { description: 'What was added, changed and skipped', content: { 'application/json': { schema: { type: 'object' } } } }, 400: badRequest, 401: adminResponses[401] },
        },
      },
    },
    components: {
      schemas: Object.fromEntries(Object.entries(components).map(([name, c]) => [name, toJson(c.schema, c.io)])),
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApi>;
