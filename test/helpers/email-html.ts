import { HtmlValidate, type Message } from 'html-validate';

/**
 * Attributes that html-validate calls deprecated but e-mail layout needs: Outlook's Word engine
 * ignores CSS width, margin and background on tables and cells, and reads these instead.
 */
const EMAIL_ATTRIBUTES = new Set(['width', 'align', 'cellpadding', 'cellspacing', 'bgcolor']);

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // E-mail clients (Gmail, Outlook) drop or ignore <style> blocks: styles must be inline, and juice puts them there.
    'no-inline-style': 'off',
  },
});

/** html-validate's errors, except a deprecated attribute from {@link EMAIL_ATTRIBUTES} (any other still fails). */
export async function htmlErrors(html: string): Promise<Message[]> {
  const report = await validator.validateString(html);
  return report.results
    .flatMap((r) => r.messages)
    .filter((m) => !(m.ruleId === 'no-deprecated-attr' && EMAIL_ATTRIBUTES.has(/^Attribute "([^"]+)"/.exec(m.message)?.[1] ?? '')));
}
