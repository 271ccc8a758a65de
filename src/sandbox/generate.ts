import { parseSeed } from './seed.ts';
import type { Seed, SeedExtension, SeedForwardingNumber, SeedInput, SeedPhoneNumber } from './seed.ts';

/**
 * Large companies for benchmarks: `generateCompany({ extensions: 10_000 })`. Deterministic for a given seedNumber
 * (a small PRNG, no Math.random), so two runs compare like with like. The first extension is the system
 * extension (id = account id, administrator), as on a real account.
 */

export const switchboardApps: NonNullable<SeedInput['apps']> = [
  {
    clientId: 'switchboard-demo',
    clientSecret: 'switchboard-demo-secret',
    name: 'Switchboard (demo)',
    permissions: ['ReadAccounts', 'ReadPresence'],
    redirectUris: ['http://127.0.0.1:*/oauth/ringcentral/callback', 'http://localhost:*/oauth/ringcentral/callback'],
  },
  {
    clientId: 'switchboard-nopresence',
    clientSecret: 'switchboard-nopresence-secret',
    name: 'Switchboard (no ReadPresence)',
    permissions: ['ReadAccounts'],
    redirectUris: ['http://127.0.0.1:*/oauth/ringcentral/callback', 'http://localhost:*/oauth/ringcentral/callback'],
  },
  {
    clientId: 'switchboard-noperm',
    clientSecret: 'switchboard-noperm-secret',
    name: 'Switchboard (no permissions)',
    permissions: [],
    redirectUris: ['http://127.0.0.1:*/oauth/ringcentral/callback', 'http://localhost:*/oauth/ringcentral/callback'],
  },
];

function prng(seedNumber: number): () => number {
  let state = seedNumber >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const firstNames = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Elijah',
  'Sophia',
  'Mateo',
  'Isabella',
  'Lucas',
  'Mia',
  'Levi',
  'Amelia',
  'Ethan',
  'Harper',
  'James',
  'Evelyn',
  'Aiden',
  'Priya',
  'Wei',
  'Fatima',
  'Diego',
  'Yuki',
  'Kwame',
  'Ingrid',
  'Rahul',
  'Chloe',
  'Omar',
  'Sofia',
  'Hiroshi',
  'Nadia',
  'Carlos',
  'Aisha',
  'Tomás',
  'Leila',
  'Jonas',
  'Grace',
  'Mohammed',
  'Hannah',
  'Andrei',
];
const lastNames = [
  'Johnson',
  'Williams',
  'Brown',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Nguyen',
  'Kim',
  'Patel',
  'Singh',
  'Chen',
  'Okafor',
  'Schmidt',
  'Rossi',
  'Tanaka',
  'Silva',
  'Kowalski',
  'Novak',
  "O'Brien",
  'Dubois',
  'Haddad',
  'Ivanova',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Mensah',
  'Alvarez',
  'Bauer',
  'Cohen',
  'Fischer',
  'Gupta',
  'Hughes',
  'Jensen',
  'Khan',
  'Lindqvist',
  'Murphy',
];
const departments = ['Sales', 'Support', 'Engineering', 'Marketing', 'Finance', 'Operations', 'Legal', 'People', 'IT', 'Facilities'];
const jobTitles = [
  'Account Executive',
  'Support Engineer',
  'Software Engineer',
  'Product Manager',
  'Accountant',
  'Operations Analyst',
  'Counsel',
  'Recruiter',
  'IT Specialist',
  'Office Manager',
];
const areaCodes = ['650', '415', '408', '212', '312', '617', '206', '512', '303', '404'];

type Kind = SeedExtension['type'];

/** Share of each non-person type, per 1000 extensions; the rest are people. */
const otherTypes: readonly [Kind, number][] = [
  ['Department', 20],
  ['IvrMenu', 5],
  ['ParkLocation', 5],
  ['Announcement', 3],
  ['Voicemail', 3],
  ['SharedLinesGroup', 3],
  ['PagingOnly', 2],
  ['ApplicationExtension', 2],
];

export function generateCompany(options: { extensions: number; seedNumber?: number; companyName?: string }): Seed {
  const count = Math.max(1, Math.floor(options.extensions));
  const random = prng(options.seedNumber ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const companyName = options.companyName ?? 'Benchmark Corp';
  const domain = 'benchmark.example';
  const accountId = 62_000_000_008;

  const extensions: SeedExtension[] = [];
  const phoneNumbers: SeedPhoneNumber[] = [];
  const forwardingNumbers: SeedForwardingNumber[] = [];
  const emails = new Set<string>();
  let phoneSerial = 0;
  const nextNumber = () => {
    phoneSerial += 1;
    return `+1${areaCodes[phoneSerial % areaCodes.length]}${String(2_000_000 + phoneSerial).padStart(7, '0')}`;
  };

  for (let index = 0; index < count; index += 1) {
    const id = index === 0 ? accountId : accountId + index * 1000;
    const extensionNumber = String(1000 + index);
    let type: Kind = 'User';
    if (index > 0) {
      const roll = random() * 1000;
      let acc = 0;
      for (const [kind, share] of otherTypes) {
        acc += share;
        if (roll < acc) {
          type = kind;
          break;
        }
      }
      if (type === 'User') {
        const person = random();
        type = person < 0.03 ? 'FaxUser' : person < 0.06 ? 'VirtualUser' : person < 0.09 ? 'DigitalUser' : 'User';
      }
    }
    const statusRoll = random();
    const status = index === 0 || statusRoll < 0.9 ? 'Enabled' : statusRoll < 0.95 ? 'NotActivated' : 'Disabled';
    const department = pick(departments);
    const person = type === 'User' || type === 'FaxUser' || type === 'VirtualUser' || type === 'DigitalUser';
    if (person) {
      const firstName = pick(firstNames);
      const lastName = pick(lastNames);
      const local = `${firstName}.${lastName}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z.]/g, '');
      let email = `${local}@${domain}`;
      if (emails.has(email)) email = `${local}.${extensionNumber}@${domain}`;
      emails.add(email);
      extensions.push({
        id,
        extensionNumber,
        type,
        status,
        contact: { firstName, lastName, email, company: companyName, department, jobTitle: pick(jobTitles), mobilePhone: nextNumber() },
        admin: index === 0 || random() < 0.02,
        hidden: random() < 0.01,
      });
      if (random() < 0.8) {
        phoneNumbers.push({
          id: 900_000_000 + phoneNumbers.length + 1,
          phoneNumber: nextNumber(),
          paymentType: 'Local',
          type: 'VoiceFax',
          usageType: 'DirectNumber',
          features: ['CallerId', 'SmsSender'],
          extensionNumber,
          status: 'Normal',
        });
      }
      if (type !== 'FaxUser' && random() < 0.3) {
        const labels = ['Home', 'Mobile', 'Work'] as const;
        const howMany = 1 + Math.floor(random() * 3);
        for (let f = 0; f < howMany; f += 1) {
          const label = labels[f] ?? 'Other';
          forwardingNumbers.push({
            id: String(800_000_000 + forwardingNumbers.length + 1),
            extensionNumber,
            phoneNumber: nextNumber(),
            label,
            features: f === 0 ? ['CallForwarding', 'CallFlip'] : ['CallFlip'],
            flipNumber: String(f + 1),
            type: label,
          });
        }
      }
    } else {
      const name = `${type === 'Department' ? department : type} ${extensionNumber}`;
      extensions.push({ id, extensionNumber, type, status, name, contact: { company: companyName }, admin: false, hidden: false });
    }
  }

  // Each enabled call queue gets a dozen members, and people a presence of their own, drawn after every extension so
  // the rest of the company stays what it was for a given seed.
  const enabledPeople = extensions.filter((e) => e.type === 'User' && e.status === 'Enabled');
  for (const queue of extensions) {
    if (queue.type !== 'Department' || queue.status !== 'Enabled' || enabledPeople.length === 0) continue;
    const members = new Set<string>();
    for (let tries = 0; members.size < Math.min(12, enabledPeople.length) && tries < 100; tries += 1)
      members.add(pick(enabledPeople).extensionNumber);
    queue.members = [...members];
  }
  for (const person of enabledPeople) {
    const roll = random();
    if (roll < 0.2)
      person.presence = { userStatus: 'Busy', dndStatus: 'TakeAllCalls', telephonyStatus: 'NoCall', allowSeeMyPresence: true };
    else if (roll < 0.35)
      person.presence = { userStatus: 'Available', dndStatus: 'TakeAllCalls', telephonyStatus: 'CallConnected', allowSeeMyPresence: true };
    else if (roll < 0.4)
      person.presence = { userStatus: 'Available', dndStatus: 'DoNotAcceptAnyCalls', telephonyStatus: 'NoCall', allowSeeMyPresence: true };
    else if (roll < 0.55)
      person.presence = { userStatus: 'Offline', dndStatus: 'TakeAllCalls', telephonyStatus: 'NoCall', allowSeeMyPresence: true };
  }

  // One person in 150 has an outside number of theirs forwarded to their extension: what an administrator sees on their
  // card and the directory does not list. Chosen by position, not drawn, so the rest stays what it was for a seed.
  enabledPeople.forEach((person, position) => {
    if (position % 150 !== 75) return;
    phoneNumbers.push({
      id: 900_000_000 + phoneNumbers.length + 1,
      phoneNumber: nextNumber(),
      paymentType: 'External',
      usageType: 'ForwardedNumber',
      features: [],
      extensionNumber: person.extensionNumber,
      status: 'Normal',
    });
  });

  const mainNumber = '+18005550100';
  phoneNumbers.push(
    {
      id: 900_000_000 - 1,
      phoneNumber: mainNumber,
      paymentType: 'TollFree',
      type: 'VoiceFax',
      usageType: 'MainCompanyNumber',
      features: ['CallerId'],
      extensionNumber: '1000',
      status: 'Normal',
    },
    {
      id: 900_000_000 - 2,
      phoneNumber: '+18005550101',
      paymentType: 'TollFree',
      type: 'VoiceFax',
      usageType: 'CompanyNumber',
      features: ['CallerId'],
      status: 'Normal',
    },
    {
      id: 900_000_000 - 3,
      phoneNumber: '+16505550102',
      paymentType: 'Local',
      type: 'FaxOnly',
      usageType: 'CompanyFaxNumber',
      features: [],
      status: 'Normal',
    },
  );

  return parseSeed(
    {
      account: { id: accountId, companyName, mainNumber, status: 'Confirmed' },
      extensions,
      phoneNumbers,
      forwardingNumbers,
      apps: switchboardApps,
    },
    'generated company',
  );
}
