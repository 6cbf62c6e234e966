/** Digest, alert and confirmation e-mails: plain data in, subject + HTML + plain text out. */
export { describeFilter, renderDigestEmail } from './digest.js';
export { renderConfirmationEmail, type ConfirmationInput } from './confirmation.js';
