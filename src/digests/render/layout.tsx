import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';
import juice from 'juice';
import { t, type UiLanguage } from '../../i18n/index.js';

/**
 * The style sheet of every mail, written once as CSS and inlined by juice: Gmail and Outlook drop or
 * ignore much of a `<style>` block, so each element carries its own `style` attribute. Only the media
 * query survives as a `<style>` (clients that honour it are the ones that read `<style>`). System font
 * stack only: no web font is fetched.
 */
const CSS = `
body { margin: 0; padding: 0; background-color: #f2f4f7; }
body, td, h1, h2, h3 { font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; }
td { font-size: 16px; line-height: 1.5; color: #1f2328; }
.outer { background-color: #f2f4f7; }
.outer-cell { padding: 24px 8px; }
.container { width: 600px; max-width: 600px; background-color: #ffffff; border: 1px solid #d8dee4; }
.brand { padding: 14px 24px; background-color: #0b3d5c; color: #ffffff; font-size: 14px; }
.brand-name { font-size: 18px; font-weight: bold; color: #ffffff; }
.main { padding: 24px; }
.footer { padding: 16px 24px 24px; border-top: 1px solid #d8dee4; font-size: 13px; line-height: 1.5; color: #57606a; }
h1 { margin: 0 0 4px; font-size: 24px; line-height: 1.25; color: #0b3d5c; }
h2 { margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #0b3d5c; font-size: 19px; line-height: 1.3; color: #0b3d5c; }
h3 { margin: 18px 0 4px; font-size: 16px; line-height: 1.35; }
p { margin: 0 0 8px; }
a { color: #0b57a3; text-decoration: underline; }
.window { color: #57606a; }
.follows { margin: 16px 0 0; padding: 10px 12px; background-color: #f6f8fa; font-size: 14px; }
.label { font-weight: bold; }
.meta, .tags { margin: 0 0 4px; font-size: 14px; color: #57606a; }
.summary { margin: 0 0 8px; }
.more { margin: 24px 0 0; font-weight: bold; }
.footer p { margin: 0 0 8px; font-size: 13px; color: #57606a; }
.footer a { color: #57606a; }
.button-space { padding: 12px 0 20px; }
.button-cell { background-color: #0b57a3; border-radius: 4px; }
.button { display: inline-block; padding: 12px 24px; font-size: 16px; font-weight: bold; color: #ffffff; text-decoration: none; }
.fallback { font-size: 14px; color: #57606a; word-break: break-all; }
@media (max-width: 620px) {
  .container { width: 100% !important; }
  .main { padding: 16px !important; }
}
`;

/** The system-font, table-based layout every mail shares; the CSS is applied by {@link toHtml}. */
export const MailDocument: FC<{ lang: UiLanguage; title: string; footer: Child; children?: Child }> = ({ lang, title, footer, children }) => (
  <>
    {raw('<!DOCTYPE html>')}
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <style>{raw(CSS)}</style>
      </head>
      <body>
        {/* A full-width table centres the 600 px container; Outlook's Word engine honours `align`/`width`, not margins. */}
        <Table class="outer" width="100%">
          <tr>
            <td class="outer-cell" align="center">
              <Table class="container" width="600" align="center">
                <tr>
                  <td class="brand">
                    <span class="brand-name">Regionradar</span> · {t(lang, 'site.tagline')}
                  </td>
                </tr>
                <tr>
                  <td class="main">{children}</td>
                </tr>
                <tr>
                  <td class="footer">{footer}</td>
                </tr>
              </Table>
            </td>
          </tr>
        </Table>
      </body>
    </html>
  </>
);

/**
 * A layout table: `role="presentation"` so screen readers read it as plain flow, and zero spacing
 * attributes, which Outlook reads where it ignores CSS.
 */
export const Table: FC<{ class?: string; width?: string; align?: 'center'; children?: Child }> = (p) => (
  <table role="presentation" class={p.class} width={p.width} align={p.align} cellpadding="0" cellspacing="0" border={0}>
    <tbody>{p.children}</tbody>
  </table>
);

/**
 * A link drawn as a button: a coloured cell around a padded link, inside a cell whose padding spaces
 * it from the text (Outlook ignores margins on tables but keeps cell padding).
 */
export const Button: FC<{ href: string; children?: Child }> = ({ href, children }) => (
  <Table>
    <tr>
      <td class="button-space">
        <Table>
          <tr>
            <td class="button-cell" bgcolor="#0b57a3">
              <a class="button" href={href}>
                {children}
              </a>
            </td>
          </tr>
        </Table>
      </td>
    </tr>
  </Table>
);

/**
 * Renders a mail view to HTML with its CSS inlined. Views are synchronous; an async component would
 * make `toString()` a promise, which is a programming error here, not a case to handle.
 */
export function toHtml(view: unknown): string {
  const html = view === null || view === undefined ? '' : (view as { toString(): string | Promise<string> }).toString();
  if (typeof html !== 'string') throw new TypeError('mail views must render synchronously');
  return juice(html, {
    removeStyleTags: true,
    preserveMediaQueries: true,
    // The sizes and alignment that matter are written as attributes in the views; CSS-to-attribute
    // copying would add more deprecated attributes without helping any client we aim for.
    applyWidthAttributes: false,
    applyHeightAttributes: false,
    applyAttributesTableElements: false,
  });
}

/** Width of the plain-text part's prose; URLs stay whole on their own line. */
const TEXT_WIDTH = 76;

/** Wraps prose at word boundaries to {@link TEXT_WIDTH} columns, each line after `indent`. */
export function wrap(text: string, indent = '', width = TEXT_WIDTH): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

/** A plain-text heading: the text, then a line of `mark` as long as it. */
export const underline = (heading: string, mark: '=' | '-'): string => `${heading}\n${mark.repeat([...heading].length)}`;

/** The plain-text part: blocks separated by one empty line, with Unix line ends. */
export const textBlocks = (blocks: (string | false | undefined)[]): string => `${blocks.filter((b): b is string => !!b).join('\n\n')}\n`;
