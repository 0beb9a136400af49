/** Romance-language street words, written before the name ("rue de la Paix 12"). */
const LEADING_STREET_WORDS = [
  'rue',
  'chemin',
  'allee',
  'impasse',
  'calle',
  'avenida',
  'paseo',
  'plaza',
  'carrer',
  'via',
  'viale',
  'piazza',
  'corso',
  'rua',
  'travessa',
];

/**
 * Street words of several languages for the address detector. A module, not JSON, so the built
 * app carries it. Suffix forms (German "Hauptstraße") are in STREET_SUFFIXES.
 */
export const STREET_WORDS: string[] = [
  // English
  'street',
  'st',
  'road',
  'rd',
  'avenue',
  'ave',
  'lane',
  'ln',
  'drive',
  'dr',
  'boulevard',
  'blvd',
  'close',
  'crescent',
  'terrace',
  'gardens',
  'court',
  'ct',
  'place',
  'pl',
  'way',
  'grove',
  'mews',
  'square',
  'sq',
  'parkway',
  'highway',
  // French, Spanish, Italian, Portuguese (they also lead: see STREET_FIRST_WORDS), Dutch, German
  ...LEADING_STREET_WORDS,
  'straat',
  'laan',
  'weg',
  'strasse',
  'straße',
  'gasse',
  'platz',
];

/** Street words that come before the name and number ("rue de la Paix 12", "Calle Mayor 5"). */
export const STREET_FIRST_WORDS: string[] = [...LEADING_STREET_WORDS, 'avenue', 'boulevard'];

/** Endings of one-word street names ("Hauptstraße 12", "Kerkstraat 4", "Dorfweg 3"). */
export const STREET_SUFFIXES: string[] = [
  'straße',
  'strasse',
  'str',
  'gasse',
  'weg',
  'allee',
  'platz',
  'straat',
  'laan',
  'gracht',
  'vej',
  'gatan',
  'gata',
];

/** Phrases that announce an address even in lower case ("I live at 12 baker street"). */
export const ADDRESS_CUES: string[] = [
  'live at',
  'live on',
  'lives at',
  'address is',
  'my address',
  'come to',
  'flat at',
  'house at',
  'staying at',
  'meet me at',
  'send it to',
  'post it to',
  'find me at',
];
