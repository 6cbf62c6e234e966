import { parseDate } from '../normalize/date.js';

/** Kinds of document users filter on. Consultations are what policy officers must not miss. */
export const DOCUMENT_TYPES = ['consultation'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/**
 * Words that name a public consultation: Norwegian høring (bokmål) / høyring (nynorsk), Swedish
 * remiss, Danish høring, Finnish lausuntopyyntö / lausuntokierros, English consultation.
 * "Kort høring" and "Høring –" titles are common on regjeringen.no.
 */
const CONSULTATION = /(^|[^\p{L}])(høring|høyring|høringer|høyringar|remiss|remissen|remissvar|lausuntopyyntö|lausuntokierros|public consultation|consultation)([^\p{L}]|$)/iu;

/**
 * A response deadline: the label, then a date. "Høringsfrist: 14.08.2026", "Høyringsfrist 1.10.2026",
 * "Sista dag att svara: 2026-03-08", "Svarsfrist: 8 mars 2026". A bare "Deadline" is left out: calls
 * for funding have deadlines too, and they are not consultations.
 */
const DEADLINE = /(høringsfrist|høyringsfrist|svarfrist|svarsfrist|remisstid(?:en)?(?: går ut)?|sista (?:svars)?dag(?: att svara| för svar| för remissvar)?|lausuntojen määräaika)\s*:?\s*(?:den\s+|är\s+|er\s+)?(\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+\p{L}+\s+\d{4})/iu;

export interface DocumentClues {
  title: string;
  summary?: string;
  /** A type label from the page ("Høring", "Høyring", "Remiss"). */
  typeLabel?: string;
  /** Text that may hold the deadline (an event-details line, or the body). */
  deadlineText?: string;
  text?: string;
}

export interface DocumentClassification {
  documentType?: DocumentType;
  /** Response deadline as UTC ISO-8601 (noon of the day), when one is stated. */
  deadline?: string;
}

function readDeadline(text: string): string | undefined {
  const m = DEADLINE.exec(text);
  if (!m) return undefined;
  const value = m[2]!.replace(/\s+/g, ' ').trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return parseDate(value, { format: 'yyyy-MM-dd', allowFuture: true });
  if (/^\d{1,2}\.\s?\d{1,2}\./.test(value)) {
    return parseDate(value.replace(/\s/g, ''), { format: 'd.M.yyyy', allowFuture: true });
  }
  // "8 mars 2026" (sv), "8. mars 2026" (nb/da), "8 March 2026": try the locales whose month names fit.
  for (const locale of ['sv', 'nb', 'da', 'en', 'fi'] as const) {
    const d = parseDate(value.replace('.', ''), { format: 'd MMMM yyyy', locale, allowFuture: true });
    if (d) return d;
  }
  return undefined;
}

/** Recognises consultations and their response deadline from a page's labels and text. Pure. */
export function classifyDocument(clues: DocumentClues): DocumentClassification {
  const isConsultation = CONSULTATION.test(clues.typeLabel ?? '') || CONSULTATION.test(clues.title);
  const deadline = readDeadline([clues.deadlineText, clues.summary, clues.text].filter(Boolean).join('\n'));
  // A stated response deadline makes a document a consultation even when its title does not say so.
  return isConsultation || deadline ? { documentType: 'consultation', ...(deadline ? { deadline } : {}) } : {};
}
