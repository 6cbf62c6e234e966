import { describe, expect, it } from 'vitest';
import { finnishStem } from '../../../../src/pipeline/themes/stem.js';

describe('finnishStem: one stem for the common inflections of a Finnish word', () => {
  it.each([
    [['kiertotalous', 'kiertotalouden', 'kiertotaloutta', 'kiertotaloudessa']],
    [['kehittäminen', 'kehittämisen', 'kehittämistä', 'kehittämiseen']],
    [['alueellinen', 'alueellisen', 'alueellista']],
    [['yritys', 'yrityksen', 'yrityksiä']],
    [['maakunta', 'maakunnan', 'maakuntien']],
    [['talous', 'talouden']],
  ])('%j', (forms) => {
    expect(new Set(forms.map(finnishStem)).size).toBe(1);
  });

  it('keeps different words apart', () => {
    expect(finnishStem('talous')).not.toBe(finnishStem('kiertotalous'));
    expect(finnishStem('kehittäminen')).not.toBe(finnishStem('kehitys'));
  });
});
