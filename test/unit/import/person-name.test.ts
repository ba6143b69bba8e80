/**
 * The name a watch ECG prints beside the chart's: the same person is not flagged for case, accents,
 * punctuation, word order or a middle or second family name one side leaves out; another person is.
 */
import { describe, expect, it } from 'vitest';
import { nameWords, samePersonName } from '../../../shared/home-data/person-name';

describe('printed name beside the chart', () => {
  it.each([
    // [printed in the file, chart given, chart family]
    ['Inês Carvalho', 'Inês', 'Carvalho'],
    ['INES CARVALHO', 'Inês', 'Carvalho'],
    ['Carvalho, Inês', 'Inês', 'Carvalho'],
    ['Carvalho Ines', 'Inês', 'Carvalho'],
    ['Adaeze Okonkwo-Søreide', 'Adaeze', 'Okonkwo-Søreide'],
    ['Adaeze Okonkwo Soreide', 'Adaeze', 'Okonkwo-Søreide'],
    ['Adaeze Okonkwo', 'Adaeze', 'Okonkwo-Søreide'],
    ['José García', 'José Luis', 'García López'],
    ['Jose Luis Garcia Lopez', 'José', 'García'],
    ['Jürgen Straße', 'Jürgen', 'Strasse'],
    ['Łukasz Wałęsa', 'Lukasz', 'Walesa'],
    ['  Zoë   O’Brien ', 'Zoe', 'O’Brien'],
    ['Anna Maria Müller', 'Anna', 'Mueller Müller'],
    // Nothing printed to compare: not flagged.
    ['', 'Maja', 'Lindqvist'],
    ['  ', 'Maja', 'Lindqvist'],
  ])('“%s” is %s %s', (printed, given, family) => {
    expect(samePersonName(printed, { given, family })).toBe(true);
  });

  it.each([
    ['Jane Appleseed', 'Inês', 'Carvalho'],
    // The same family, another person.
    ['João Carvalho', 'Inês', 'Carvalho'],
    // The same given name, another family.
    ['Inês Ferreira', 'Inês', 'Carvalho'],
    ['Maja', 'Maja', 'Lindqvist'],
    ['Lindqvist', 'Maja', 'Lindqvist'],
  ])('“%s” is not %s %s', (printed, given, family) => {
    expect(samePersonName(printed, { given, family })).toBe(false);
  });

  it('splits a name into folded words', () => {
    expect(nameWords('García-López, José Ærø')).toEqual(['garcia', 'lopez', 'jose', 'aero']);
  });
});
