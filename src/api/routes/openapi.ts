import { Hono } from 'hono';
import { html } from 'hono/html';
import { buildOpenApi } from '../openapi.js';

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
}
interface Operation {
  summary?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
}
type PathItem = { parameters?: Parameter[] } & Partial<Record<(typeof METHODS)[number], Operation>>;

const METHODS = ['get', 'post', 'put', 'delete'] as const;

/** A JSON Schema as a reader wants it: type, enum, pattern, bounds and default in one line. */
function describeSchema(s: Record<string, unknown>): string {
  const items = s.items as Record<string, unknown> | undefined;
  if (s.type === 'array' && items) return `list of ${describeSchema(items)}${s.maxItems !== undefined ? ` (at most ${s.maxItems})` : ''}`;
  const parts = [String(s.type ?? 'any')];
  if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.join(', ')}`);
  if (typeof s.pattern === 'string') parts.push(`matching ${s.pattern}`);
  if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
  if (s.maxLength !== undefined) parts.push(`at most ${s.maxLength} characters`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join(', ');
}

function renderOperation(path: string, method: string, op: Operation, shared: Parameter[]) {
  const parameters = [...shared, ...(op.parameters ?? [])];
  return html`<section>
<h3 id="${`${method}-${path}`}"><code>${method.toUpperCase()} ${path}</code></h3>
<p>${op.summary ?? ''}${op.security ? ' (needs Authorization: Bearer ADMIN_TOKEN)' : ''}</p>
${
  parameters.length
    ? html`<table>
<thead><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">required</th><th scope="col">type</th><th scope="col">description</th></tr></thead>
<tbody>
${parameters.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td>${describeSchema(p.schema)}</td><td>${p.description ?? ''}</td></tr>\n`)}</tbody>
</table>`
    : html`<p>No parameters.</p>`
}
${op.requestBody ? html`<p>Body: ${Object.keys(op.requestBody.content).join(', ')}</p>` : ''}
<dl>
${Object.entries(op.responses).map(([status, r]) => {
  const content = Object.entries(r.content ?? {})
    .map(([type, c]) => (c.schema?.$ref ? `${type}: ${c.schema.$ref.split('/').pop()}` : type))
    .join('; ');
  return html`<dt>${status}</dt><dd>${r.description}${content ? html` — <code>${content}</code>` : ''}</dd>\n`;
})}</dl>
</section>
`;
}

/** The document as a page with no script (the CSP allows none): every path, its parameters and responses. */
export function renderDocs(doc: ReturnType<typeof buildOpenApi>) {
  const paths = Object.entries(doc.paths as Record<string, PathItem>);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} — OpenAPI ${doc.openapi}</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<main>
<h1>${doc.info.title}</h1>
<p>${doc.info.description}</p>
<p>The same description as OpenAPI ${doc.openapi}: <a href="/api/openapi.json">/api/openapi.json</a>. Schemas of the answers are under <code>components.schemas</code> there.</p>
<nav aria-label="Paths"><ul>
${paths.map(([path, item]) => METHODS.filter((m) => item[m]).map((m) => html`<li><a href="#${`${m}-${path}`}"><code>${m.toUpperCase()} ${path}</code></a></li>\n`))}</ul></nav>
<h2>Paths</h2>
${paths.map(([path, item]) => METHODS.filter((m) => item[m]).map((m) => renderOperation(path, m, item[m]!, item.parameters ?? [])))}
</main>
</body>
</html>
`;
}

/** GET /api/openapi.json and GET /api/docs. The document is built once: it depends on nothing at run time. */
export function openapiRoutes() {
  const doc = buildOpenApi();
  const page = renderDocs(doc);
  return new Hono().get('/openapi.json', (c) => c.json(doc)).get('/docs', (c) => c.html(page));
}
