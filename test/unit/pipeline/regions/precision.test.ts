import { describe, expect, it } from 'vitest';
import { createRegionTagger } from '../../../../src/pipeline/regions/index.js';
import { shippedConfig } from '../../../helpers/config.js';

const tag = createRegionTagger(shippedConfig().gazetteer);
const codes = (text: string) => tag(text).map((r) => r.code).sort();

describe('region names take inflection, not the rest of a word', () => {
  it.each([
    ['Trøndelags og Västerbottens kommuner', ['NO-50', 'SE-AC']],
    ['Hankkeita Oslossa, Bergenissä ja Norrbottenin kunnissa', ['NO-03', 'NO-46', 'SE-BD']],
    ['Tampereella, Ouluun ja Kainuuseen, Lapistakin', ['FI-05', 'FI-10', 'FI-11', 'FI-14']],
    ['Ný verkefni á Suðurlandi og í Reykjavíkur', ['IS-1', 'IS-8']],
  ])('reads an inflected name: %s', (text, expected) => {
    expect(codes(text)).toEqual(expected);
  });

  it.each([
    ['Planen for Vestfoldbanen er klar'],
    ['Ferja frå Solavågen er innstilt'],
    ['Kaupunginjohtaja Mikko Lahtela ja Pekka Turunen'],
    ['Ferjekaia i Koppangen er stengd'],
  ])('leaves a compound, derived word or surname alone: %s', (text) => {
    expect(codes(text)).toEqual([]);
  });

  it('reads a hyphenated English name as one, not its second half as another region', () => {
    expect(codes('Two municipalities in North-West Iceland to vote on merger')).toEqual(['IS-5']);
    expect(codes('Tourism grows in North East Iceland')).toEqual(['IS-6']);
  });

  it('counts Sogn, like the other districts of Vestland, for Vestland', () => {
    expect(codes('Industrien i Sogn vil ha meir kraft')).toEqual(['NO-46']);
  });
});

describe('a region named only in passing is not what a text is about', () => {
  const body = 'Bybanen i Bergen får ei ny linje. Trafikken på kysten mellom Bergen og Stavanger aukar òg.';

  it('drops a region named once below a headline that names another', () => {
    expect(codes(`Bybanen i Bergen får grønt lys\n${body}`)).toEqual(['NO-46']);
  });

  it('keeps it when the headline names no region, or the headline names it', () => {
    expect(codes(`Bybanen får grønt lys\n${body}`)).toEqual(['NO-11', 'NO-46']);
    expect(codes(`Bergen og Stavanger samarbeider\n${body}`)).toEqual(['NO-11', 'NO-46']);
  });

  it('keeps a region the body names more than once', () => {
    expect(codes(`Bybanen i Bergen får grønt lys\n${body} Stavanger vil ha det same.`)).toEqual(['NO-11', 'NO-46']);
  });

  it('drops a capital named once in the body, but not one in the headline or named again', () => {
    expect(codes('Regjeringa legg fram distriktsmeldinga\nMeldinga vart lagd fram på ein pressekonferanse i Oslo.')).toEqual([]);
    expect(codes('Oslo får ny bydel\nByrådet i Oslo vedtok planen.')).toEqual(['NO-03']);
    expect(codes('Ny bydel vedteken\nByrådet i Oslo vedtok planen. Oslo veks raskt.')).toEqual(['NO-03']);
  });

  it('keeps every region of a one-line text, which is all headline', () => {
    expect(codes('Samarbeid mellom Nordland, Troms og Oslo om nordområda')).toEqual(['NO-03', 'NO-18', 'NO-55']);
  });
});
