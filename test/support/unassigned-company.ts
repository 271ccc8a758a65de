import { company } from './sandbox.ts';

/**
 * A company with 25 company numbers mapped to no extension beside an administrator (101) and a standard user (102):
 * the company card lists them ten at a time, for the "show more" tests of both chat platforms.
 */
export const UNASSIGNED_NUMBERS = Array.from({ length: 25 }, (_, index) => `+1415555${String(1000 + index)}`);

export const unassignedCompany = UNASSIGNED_NUMBERS.reduce(
  (builder, phoneNumber) =>
    builder.withPhoneNumber({ phoneNumber, paymentType: 'Local', type: 'VoiceOnly', usageType: 'CompanyNumber', features: [] }),
  company({ companyName: 'Spare Numbers Ltd.', mainNumber: '+18005550000' })
    .withAdmin({
      extensionNumber: '101',
      firstName: 'Ann',
      lastName: 'Admin',
      email: 'ann.admin@spare.example',
      directNumber: '+16505551101',
    })
    .withUser({
      extensionNumber: '102',
      firstName: 'Sam',
      lastName: 'Standard',
      email: 'sam.standard@spare.example',
      directNumber: '+16505551102',
    })
    .withPhoneNumber({
      phoneNumber: '+18005550000',
      paymentType: 'TollFree',
      type: 'VoiceFax',
      usageType: 'MainCompanyNumber',
      features: ['CallerId'],
      extensionNumber: '101',
    }),
).build();
