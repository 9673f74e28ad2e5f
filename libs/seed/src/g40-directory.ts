import type { Language, NeedCategory, OrganisationKind, Role } from '@koppelstuk/domain';

/**
 * Demo directory: the 14 cities of the G40 letter with their CBS municipality codes, and for each
 * region the partners an SME officer would refer to. Public institutions carry their real names
 * (regional development agencies, provinces, RVO, KVK); banks and accountants are illustrative.
 */
export interface DemoService {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly needCategories: readonly NeedCategory[];
  /** CBS codes; empty = everywhere. */
  readonly municipalities: readonly string[];
  readonly slaWorkingDays: number;
  readonly eligibilityNotes: string;
}

export interface DemoOrganisation {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly municipalityCode: string | null;
  readonly region: string | null;
  readonly services: readonly DemoService[];
  readonly members: readonly DemoMember[];
}

export interface DemoMember {
  readonly userId: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly email: string;
  readonly language: Language;
}

export const G40_CITIES = [
  { code: 'GM0141', name: 'Almelo', region: 'Twente', province: 'overijssel', rom: 'oost-nl' },
  { code: 'GM0362', name: 'Amstelveen', region: 'Metropoolregio Amsterdam', province: 'noord-holland', rom: 'rom-inwest' },
  { code: 'GM0200', name: 'Apeldoorn', region: 'Stedendriehoek', province: 'gelderland', rom: 'oost-nl' },
  { code: 'GM0106', name: 'Assen', region: 'Drenthe', province: 'drenthe', rom: 'nom' },
  { code: 'GM0758', name: 'Breda', region: 'West-Brabant', province: 'noord-brabant', rom: 'bom' },
  { code: 'GM0503', name: 'Delft', region: 'Haaglanden', province: 'zuid-holland', rom: 'innovationquarter' },
  { code: 'GM0150', name: 'Deventer', region: 'Stedendriehoek', province: 'overijssel', rom: 'oost-nl' },
  { code: 'GM0405', name: 'Hoorn', region: 'West-Friesland', province: 'noord-holland', rom: 'rom-inwest' },
  { code: 'GM0546', name: 'Leiden', region: 'Holland Rijnland', province: 'zuid-holland', rom: 'innovationquarter' },
  { code: 'GM0828', name: 'Oss', region: 'Noordoost-Brabant', province: 'noord-brabant', rom: 'bom' },
  { code: 'GM0606', name: 'Schiedam', region: 'Rotterdam-Rijnmond', province: 'zuid-holland', rom: 'innovationquarter' },
  { code: 'GM1883', name: 'Sittard-Geleen', region: 'Westelijke Mijnstreek', province: 'limburg', rom: 'liof' },
  { code: 'GM0479', name: 'Zaanstad', region: 'Zaanstreek', province: 'noord-holland', rom: 'rom-inwest' },
  { code: 'GM0193', name: 'Zwolle', region: 'Regio Zwolle', province: 'overijssel', rom: 'oost-nl' },
] as const;

export const cityId = (city: (typeof G40_CITIES)[number]) => `${city.code.toLowerCase()}-${city.name.toLowerCase().replace(/[^a-z]+/g, '-')}`;

const codesWhere = (predicate: (city: (typeof G40_CITIES)[number]) => boolean) => G40_CITIES.filter(predicate).map((c) => c.code);
const all: readonly string[] = [];

const ROMS: Record<string, { name: string; region: string }> = {
  'oost-nl': { name: 'Oost NL', region: 'Overijssel en Gelderland' },
  'rom-inwest': { name: 'ROM InWest', region: 'Noord-Holland' },
  nom: { name: 'NOM', region: 'Noord-Nederland' },
  bom: { name: 'BOM', region: 'Brabant' },
  innovationquarter: { name: 'InnovationQuarter', region: 'Zuid-Holland' },
  liof: { name: 'LIOF', region: 'Limburg' },
};

const PROVINCES: Record<string, string> = {
  overijssel: 'Provincie Overijssel',
  'noord-holland': 'Provincie Noord-Holland',
  gelderland: 'Provincie Gelderland',
  drenthe: 'Provincie Drenthe',
  'noord-brabant': 'Provincie Noord-Brabant',
  'zuid-holland': 'Provincie Zuid-Holland',
  limburg: 'Provincie Limburg',
};

/** A demo member: `<org>.<who>`, reachable at `<who>@<org>.example` (a reserved domain: no mail leaves). */
const member = (orgId: string, who: string, displayName: string, roles: readonly Role[], language: Language = 'nl'): DemoMember => ({
  userId: `${orgId}.${who}`,
  displayName,
  roles,
  email: `${who}@${orgId}.example`,
  language,
});

/** A partner's demo team: an agent who works the inbox, a supervisor for escalations, an administrator. */
const agent = (orgId: string, name: string): DemoMember[] => [
  member(orgId, 'agent', `Accountmanager ${name}`, ['partner_agent']),
  member(orgId, 'supervisor', `Teamleider ${name}`, ['supervisor'], 'en'),
  member(orgId, 'beheer', `Beheerder ${name}`, ['org_admin']),
];

function romOrganisation(id: string): DemoOrganisation {
  const rom = ROMS[id] as { name: string; region: string };
  const served = codesWhere((c) => c.rom === id);
  return {
    id,
    name: rom.name,
    kind: 'rom',
    municipalityCode: null,
    region: rom.region,
    members: agent(id, rom.name),
    services: [
      {
        id: `${id}-innovatiefinanciering`,
        name: 'Innovatiefinanciering en participaties',
        description: 'Leningen en participaties voor innovatieve mkb-bedrijven die willen groeien, ook met middelen uit Europese regionale fondsen.',
        needCategories: ['innovation', 'financing'],
        municipalities: served,
        slaWorkingDays: 10,
        eligibilityNotes: 'Innovatief product of proces; cofinanciering door een bank of investeerder is een pre.',
      },
      {
        id: `${id}-scale-up`,
        name: 'Scale-up- en internationaliseringsprogramma',
        description: 'Begeleiding bij opschalen en de stap naar buitenlandse markten.',
        needCategories: ['internationalisation', 'innovation'],
        municipalities: served,
        slaWorkingDays: 10,
        eligibilityNotes: 'Bedrijven met aantoonbare groeiambitie.',
      },
    ],
  };
}

function provinceOrganisation(id: string): DemoOrganisation {
  const name = PROVINCES[id] as string;
  const served = codesWhere((c) => c.province === id);
  return {
    id: `provincie-${id}`,
    name,
    kind: 'province',
    municipalityCode: null,
    region: name.replace('Provincie ', ''),
    members: agent(`provincie-${id}`, name),
    services: [
      {
        id: `provincie-${id}-mit`,
        name: 'MIT-regeling (haalbaarheid en R&D)',
        description: 'Subsidie voor haalbaarheidsprojecten en R&D-samenwerking van mkb-ondernemers.',
        needCategories: ['innovation'],
        municipalities: served,
        slaWorkingDays: 15,
        eligibilityNotes: 'Mkb-onderneming gevestigd in de provincie; openstelling per tender.',
      },
      {
        id: `provincie-${id}-energietransitie`,
        name: 'Subsidie energiebesparing bedrijven',
        description: 'Bijdrage in energie-audits en verduurzamingsmaatregelen op bedrijventerreinen.',
        needCategories: ['sustainability'],
        municipalities: served,
        slaWorkingDays: 15,
        eligibilityNotes: 'Energieverbruik boven 50.000 kWh per jaar.',
      },
      {
        id: `provincie-${id}-vergunningen`,
        name: 'Vergunningenloket bedrijven',
        description: 'Advies over omgevingsvergunningen waarvoor de provincie bevoegd gezag is.',
        needCategories: ['permits', 'location'],
        municipalities: served,
        slaWorkingDays: 5,
        eligibilityNotes: '',
      },
    ],
  };
}

const NATIONAL: readonly DemoOrganisation[] = [
  {
    id: 'rvo',
    name: 'Rijksdienst voor Ondernemend Nederland (RVO)',
    kind: 'national_agency',
    municipalityCode: null,
    region: 'Nederland',
    members: agent('rvo', 'RVO'),
    services: [
      {
        id: 'rvo-innovatiekrediet',
        name: 'Innovatiekrediet',
        description: 'Krediet voor de ontwikkeling van nieuwe producten, processen of diensten met technische of klinische risico’s.',
        needCategories: ['innovation', 'financing'],
        municipalities: all,
        slaWorkingDays: 20,
        eligibilityNotes: 'Ontwikkelkosten vanaf €150.000; het project moet technisch vernieuwend zijn.',
      },
      {
        id: 'rvo-wbso',
        name: 'WBSO (S&O-afdrachtvermindering)',
        description: 'Fiscale tegemoetkoming in loonkosten voor speur- en ontwikkelingswerk.',
        needCategories: ['innovation'],
        municipalities: all,
        slaWorkingDays: 20,
        eligibilityNotes: 'Aanvragen vóór de start van het S&O-werk.',
      },
      {
        id: 'rvo-exportadvies',
        name: 'Exportadvies en internationaal ondernemen',
        description: 'Advies en instrumenten voor ondernemers die willen exporteren of in het buitenland willen investeren.',
        needCategories: ['internationalisation'],
        municipalities: all,
        slaWorkingDays: 10,
        eligibilityNotes: '',
      },
    ],
  },
  {
    id: 'kvk',
    name: 'Kamer van Koophandel (KVK)',
    kind: 'national_agency',
    municipalityCode: null,
    region: 'Nederland',
    members: agent('kvk', 'KVK'),
    services: [
      {
        id: 'kvk-ondernemersadvies',
        name: 'Adviesgesprek ondernemen',
        description: 'Persoonlijk advies over ondernemen, digitalisering en regels.',
        needCategories: ['digitalisation', 'other'],
        municipalities: all,
        slaWorkingDays: 5,
        eligibilityNotes: '',
      },
    ],
  },
  {
    id: 'rabobank',
    name: 'Rabobank',
    kind: 'bank',
    municipalityCode: null,
    region: 'Nederland',
    members: agent('rabobank', 'Rabobank'),
    services: [
      {
        id: 'rabobank-bedrijfsfinanciering',
        name: 'Bedrijfsfinanciering tot €250.000',
        description: 'Krediet voor investeringen en werkkapitaal van mkb-bedrijven.',
        needCategories: ['financing'],
        municipalities: all,
        slaWorkingDays: 5,
        eligibilityNotes: 'Minimaal één jaar actief; jaarcijfers beschikbaar.',
      },
      {
        id: 'rabobank-duurzaam-ondernemen',
        name: 'Financiering verduurzaming',
        description: 'Groene leningen voor zonnepanelen, isolatie en elektrisch materieel.',
        needCategories: ['sustainability', 'financing'],
        municipalities: all,
        slaWorkingDays: 5,
        eligibilityNotes: '',
      },
    ],
  },
  {
    id: 'ing',
    name: 'ING',
    kind: 'bank',
    municipalityCode: null,
    region: 'Nederland',
    members: agent('ing', 'ING'),
    services: [
      {
        id: 'ing-zakelijk-krediet',
        name: 'Zakelijk krediet',
        description: 'Rekening-courantkrediet en zakelijke leningen.',
        needCategories: ['financing'],
        municipalities: all,
        slaWorkingDays: 5,
        eligibilityNotes: '',
      },
    ],
  },
  {
    id: 'qredits',
    name: 'Qredits Microfinanciering',
    kind: 'other',
    municipalityCode: null,
    region: 'Nederland',
    members: agent('qredits', 'Qredits'),
    services: [
      {
        id: 'qredits-microkrediet',
        name: 'Microkrediet tot €50.000',
        description: 'Kleine kredieten met coaching voor starters en kleine ondernemers die bij de bank niet terechtkunnen.',
        needCategories: ['financing', 'restructuring'],
        municipalities: all,
        slaWorkingDays: 5,
        eligibilityNotes: '',
      },
    ],
  },
  {
    id: 'ondernemersklankbord',
    name: 'Ondernemersklankbord',
    kind: 'mkb_organisation',
    municipalityCode: null,
    region: 'Nederland',
    members: agent('ondernemersklankbord', 'Ondernemersklankbord'),
    services: [
      {
        id: 'ondernemersklankbord-coaching',
        name: 'Coaching door ervaren ondernemers',
        description: 'Een vrijwillige coach denkt maximaal een jaar mee, ook bij financiële zorgen.',
        needCategories: ['restructuring', 'other', 'labour_market'],
        municipalities: all,
        slaWorkingDays: 5,
        eligibilityNotes: '',
      },
    ],
  },
  {
    id: 'mkb-nederland',
    name: 'MKB-Nederland',
    kind: 'mkb_organisation',
    municipalityCode: null,
    region: 'Nederland',
    members: agent('mkb-nederland', 'MKB-Nederland'),
    services: [
      {
        id: 'mkb-nederland-digitale-werkplaats',
        name: 'MKB Digitale Werkplaats',
        description: 'Studenten helpen ondernemers met digitalisering: webshop, online marketing, data.',
        needCategories: ['digitalisation'],
        municipalities: all,
        slaWorkingDays: 10,
        eligibilityNotes: '',
      },
    ],
  },
  {
    id: 'accountants-herstructurering',
    name: 'Herstructureringsaccountants Nederland',
    kind: 'accountant',
    municipalityCode: null,
    region: 'Nederland',
    members: agent('accountants-herstructurering', 'Herstructureringsaccountants'),
    services: [
      {
        id: 'accountants-herstructureringsplan',
        name: 'Herstructureringsplan en liquiditeitsprognose',
        description: 'Een accountant maakt met de ondernemer een plan bij financiële problemen (WHOA-voorbereiding).',
        needCategories: ['restructuring'],
        municipalities: all,
        slaWorkingDays: 3,
        eligibilityNotes: 'Voor ondernemers met betalingsachterstanden of dreigende schulden.',
      },
    ],
  },
  {
    id: 'tu-delft-valorisatie',
    name: 'TU Delft Valorisation Centre',
    kind: 'knowledge_institution',
    municipalityCode: null,
    region: 'Zuid-Holland',
    members: agent('tu-delft-valorisatie', 'TU Delft'),
    services: [
      {
        id: 'tu-delft-kennisvoucher',
        name: 'Samenwerken met onderzoekers',
        description: 'Koppeling aan onderzoekers en studententeams voor innovatievragen.',
        needCategories: ['innovation'],
        municipalities: codesWhere((c) => c.province === 'zuid-holland'),
        slaWorkingDays: 10,
        eligibilityNotes: '',
      },
    ],
  },
];

const PROGRAMME: readonly DemoOrganisation[] = [
  {
    id: 'g40-programmabureau',
    name: 'G40 Programmabureau MKB',
    kind: 'other',
    municipalityCode: null,
    region: 'Nederland',
    services: [],
    members: [
      member('g40-programmabureau', 'admin', 'Beheerder Koppelstuk', ['admin']),
      member('g40-programmabureau', 'fg', 'Functionaris gegevensbescherming', ['dpo']),
    ],
  },
  {
    id: 'rekenkamer-g40',
    name: 'Rekenkamer G40 (auditors)',
    kind: 'other',
    municipalityCode: null,
    region: 'Nederland',
    services: [],
    members: [member('rekenkamer-g40', 'auditor', 'Auditor Rekenkamer', ['auditor'])],
  },
];

export const DEMO_DIRECTORY: readonly DemoOrganisation[] = [
  ...G40_CITIES.map(
    (city): DemoOrganisation => ({
      id: cityId(city),
      name: `Gemeente ${city.name}`,
      kind: 'city',
      municipalityCode: city.code,
      region: city.region,
      services: [],
      members: [
        member(cityId(city), 'officer', `Bedrijfscontactfunctionaris ${city.name}`, ['city_officer']),
        member(cityId(city), 'beheer', `Beheerder ${city.name}`, ['org_admin']),
      ],
    }),
  ),
  ...Object.keys(ROMS).map(romOrganisation),
  ...Object.keys(PROVINCES).map(provinceOrganisation),
  ...NATIONAL,
  ...PROGRAMME,
];
