import { describe, expect, it } from 'vitest';
import { classifyDocument } from '../../../../src/pipeline/doctype/index.js';

describe('classifyDocument', () => {
  it.each([
    [{ title: 'Kort høring - Avskogingsforordningen', typeLabel: 'Høring', deadlineText: 'Høringsfrist: 07.08.2026' }, { documentType: 'consultation', deadline: '2026-08-07T12:00:00.000Z' }],
    [{ title: 'Høyring – framlegg om presiseringar', typeLabel: 'Høyring', deadlineText: 'Høyringsfrist: 14.08.2026' }, { documentType: 'consultation', deadline: '2026-08-14T12:00:00.000Z' }],
    [{ title: 'Forslag til forskrift om auksjon', typeLabel: 'Høring' }, { documentType: 'consultation' }],
    [{ title: 'Remiss av betänkandet Regional utveckling', text: 'Sista dag att svara: 2026-03-08.' }, { documentType: 'consultation', deadline: '2026-03-08T12:00:00.000Z' }],
    [{ title: 'Remiss: ny förordning', text: 'Svarsfrist: 8 mars 2026' }, { documentType: 'consultation', deadline: '2026-03-08T12:00:00.000Z' }],
    [{ title: 'Public consultation on cohesion policy after 2027' }, { documentType: 'consultation' }],
    [{ title: 'Nytt stöd för grön omställning', text: 'Sista ansökningsdag är den 30 maj.' }, {}],
    [{ title: 'Call for projects', text: 'Deadline: 30.09.2026' }, {}],
    [{ title: 'Høringsuttalelse fra KS om regionreformen' }, {}],
  ])('%j → %j', (clues, expected) => {
    expect(classifyDocument(clues)).toEqual(expected);
  });
});
