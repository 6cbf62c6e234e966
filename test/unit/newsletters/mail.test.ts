import { describe, expect, it } from 'vitest';
import { InboundMailError } from '../../../src/errors.js';
import { readMail } from '../../../src/newsletters/mail.js';

const raw = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1');

describe('readMail', () => {
  it('reads sender, subject, date, List-Id and a Latin-1 quoted-printable body', async () => {
    const m = await readMail(
      raw(`From: =?iso-8859-1?Q?Tillv=E4xtverket?= <nyhetsbrev@tillvaxtverket.se>
To: tv@in.radar.example
Subject: =?iso-8859-1?Q?Nyhetsbrev_fr=E5n_Tillv=E4xtverket?=
Date: Fri, 20 Nov 2026 08:00:00 +0100
Message-ID: <abc.123@apsis.example>
List-Id: Tillvaxtverket <nyhetsbrev.tillvaxtverket.se>
MIME-Version: 1.0
Content-Type: text/html; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

<html lang=3D"sv"><p>Regional utveckling i V=E4sterbotten och J=E4mtland.</p></html>
`),
    );
    expect(m).toMatchObject({
      messageId: 'abc.123@apsis.example',
      from: { address: 'nyhetsbrev@tillvaxtverket.se', name: 'Tillväxtverket' },
      subject: 'Nyhetsbrev från Tillväxtverket',
      date: '2026-11-20T07:00:00.000Z',
      listId: 'nyhetsbrev.tillvaxtverket.se',
      language: 'sv',
    });
    expect(m.html).toContain('Västerbotten och Jämtland');
  });

  it('a message without a Message-ID gets a stable one from its sender, subject, date and body', async () => {
    const text = 'From: a@example.org\nSubject: Hei\nDate: Fri, 20 Nov 2026 08:00:00 +0100\n\nHei verden\n';
    const [one, two] = [await readMail(raw(text)), await readMail(raw(text))];
    expect(one.messageId).toMatch(/^sha256-[0-9a-f]{32}$/);
    expect(two.messageId).toBe(one.messageId);
  });

  it.each([
    ['bytes that are no e-mail', '\u0000\u0001 not a mail at all', /no From address/],
    ['a multipart without a boundary', 'From: a@b.no\nSubject: x\nContent-Type: multipart/alternative\n\n--zzz\nContent-Type: text/html\n\n<p>hi</p>\n--zzz--\n', /no text or HTML part/],
    ['a body whose transfer encoding cannot be read', 'From: a@b.no\nSubject: x\nContent-Type: text/html\nContent-Transfer-Encoding: base64\n\n!!!!@@@@####\n', /no text or HTML part/],
  ])('refuses %s as malformed, saying why', async (_what, text, why) => {
    const err = await readMail(raw(text)).catch((e) => e);
    expect(err).toBeInstanceOf(InboundMailError);
    expect(err).toMatchObject({ reason: 'malformed', message: expect.stringMatching(why) });
  });
});
