import { describe, expect, it } from 'vitest';
import { countriesOf, createRegionTagger } from '../../../src/pipeline/regions/index.js';
import { shippedConfig } from '../../helpers/config.js';
import { readSeeds } from '../../helpers/seeds.js';

const config = shippedConfig();
const tag = createRegionTagger(config.gazetteer);
const codes = (text: string) => tag(text).map((r) => r.code).sort();

describe('region gazetteer', () => {
  it('covers the divisions the product promises, with ISO 3166-2 codes', () => {
    const count = (cc: string) => config.gazetteer.filter((r) => r.country === cc).length;
    expect([count('NO'), count('SE'), count('DK'), count('FI'), count('IS')]).toEqual([15, 21, 5, 19, 8]);
  });

  it.each([
    ['Nye arbeidsplassar i Nordland og Trøndelags kystkommunar', ['NO-18', 'NO-50']],
    ['Västerbottens och Norrbottens regioner samarbetar', ['SE-AC', 'SE-BD']],
    ['Maakuntaohjelma hyväksyttiin Pohjois-Karjalassa ja Uudellamaalla', ['FI-13', 'FI-18']],
    ['Samarbete mellan Norra Karelen och Västra Götalandsregionen', ['FI-13', 'SE-O']],
    ['Region Midtjylland og Region Hovedstaden investerer', ['DK-82', 'DK-84']],
    ['Referansegruppa: Agder, Oppland, Sogn og Fjordane, Troms', ['NO-34', 'NO-42', 'NO-46', 'NO-55']],
    ['Vestfirðir og Austurland fá nýjan stuðning', ['IS-4', 'IS-7']],
  ])('%s', (text, expected) => {
    expect(codes(text)).toEqual(expected);
  });

  it.each([
    ['Kommunal- og distriktsdepartementet i Oslo har sendt forslaget på høring.', []],
    ['The Ministry of Economic Affairs in Helsinki announced the call.', []],
    ['Tillväxtverket i Stockholm fördelar stödet till Norrbotten.', ['SE-BD']],
    ['Oslo kommune vedtok budsjettet for 2027.', ['NO-03']],
    ['Byrådet i Oslo vil bygge flere boliger.', ['NO-03']],
    ['Helsingissä asuntojen hinnat nousivat.', ['FI-18']],
    ['A Copenhagen-based agency runs the programme in Region Zealand.', ['DK-85']],
    ['Workshops in Oslo, Stockholm, Helsinki and Copenhagen, and one in Bodø Nordland.', ['NO-18']],
  ])('a capital named as the seat of a national body is no region: %s', (text, expected) => {
    expect(codes(text)).toEqual(expected);
  });

  it.each([
    ['Hankkeita Keski-Suomessa ja Varsinais-Suomessa', ['FI-08', 'FI-19']],
    ['Satakunnassa ja Lapissa työttömyys laski', ['FI-10', 'FI-17']],
    ['New funding for South Iceland and the Westfjords', ['IS-4', 'IS-8']],
    ['Hydrogen projects in Trondelag and Skane', ['NO-50', 'SE-M']],
    ['Jobs in North Jutland', ['DK-81']],
    ['Turussa ja Tampereella, mutta ei Turunen eikä moni muu; Bodø og Tromso', ['FI-11', 'FI-19', 'NO-18', 'NO-55']],
    ['Exports to New Zealand grew.', []],
    ['Fyns kommuner og Mo i Rana', ['DK-83', 'NO-18']],
  ])('names in English, without Nordic letters, and in Finnish cases: %s', (text, expected) => {
    expect(codes(text)).toEqual(expected);
  });

  it('does not read names inside longer words, lower-case words or excluded phrases', () => {
    expect(codes('Nordlandsforskning har skrive ein rapport om Vestlandet.')).toEqual([]);
    expect(codes('Flere flytter til hovedstaden enn før.')).toEqual([]);
  });

  it('keeps the forms that matched, so users see why', () => {
    expect(tag('Satsing i Trøndelag og i Trøndelags byer')[0]).toEqual({ code: 'NO-50', name: 'Trøndelag', terms: ['Trøndelag', 'Trøndelags'] });
  });

  it('derives countries from the source and the named regions', () => {
    expect(countriesOf('SE', tag('Samarbete med Nordland'))).toEqual(['SE', 'NO']);
  });

  it('finds the regions the seeds name', () => {
    const seeds = readSeeds();
    expect(codes(seeds.get('001')!)).toEqual(['NO-11', 'NO-15', 'NO-18', 'NO-31', 'NO-34', 'NO-40', 'NO-42', 'NO-46', 'NO-50', 'NO-55']);
    expect(codes(seeds.get('002')!)).toEqual(expect.arrayContaining(['SE-AC', 'SE-C', 'SE-S']));
    // The Stockholm office's newsletter also reports the national S3 conference held in Luleå.
    expect(codes(seeds.get('004')!)).toEqual(['SE-AB', 'SE-BD']);
    expect(codes(seeds.get('000')!)).toEqual([]);
  });
});
