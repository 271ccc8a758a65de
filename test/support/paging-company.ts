import { company } from './sandbox.ts';

/**
 * A company with 25 people called Alex (extensions 200–224) beside an administrator (101) and a standard user (102):
 * a name search for "alex" lists three pages of ten, for the "show more" tests of both chat platforms.
 */
const SURNAMES = [
  'Abbott',
  'Baker',
  'Carter',
  'Dalton',
  'Ellis',
  'Fischer',
  'Gordon',
  'Hayes',
  'Ingram',
  'Jensen',
  'Keller',
  'Lawson',
  'Mercer',
  'Nolan',
  'Owens',
  'Porter',
  'Quinn',
  'Reyes',
  'Sutton',
  'Turner',
  'Underwood',
  'Vance',
  'Walsh',
  'Young',
  'Zimmer',
];

export const ALEXES = SURNAMES.map((surname) => `Alex ${surname}`);

export const pagingCompany = SURNAMES.reduce(
  (builder, surname, index) =>
    builder.withUser({
      extensionNumber: String(200 + index),
      firstName: 'Alex',
      lastName: surname,
      email: `alex.${surname.toLowerCase()}@paging.example`,
    }),
  company({ companyName: 'Paging Inc.' })
    .withAdmin({ extensionNumber: '101', firstName: 'Ann', lastName: 'Admin', email: 'ann.admin@paging.example' })
    .withUser({ extensionNumber: '102', firstName: 'Sam', lastName: 'Standard', email: 'sam.standard@paging.example' }),
).build();
