import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountData } from '../../src/sandbox/account-data.ts';
import { generateCompany } from '../../src/sandbox/generate.ts';
import { directoryEntry, extensionInfo, extensionListRecord, extensionPhoneNumber } from '../../src/sandbox/representations.ts';
import {
  extensionView,
  inDirectory,
  phoneNumberView,
  publicContactFields,
  userPermissionVerdict,
  visibleUnder,
} from '../../src/sandbox/rules.ts';
import type { Caller } from '../../src/sandbox/rules.ts';
import { ExtensionStatus, ExtensionType } from '../../src/sandbox/seed.ts';

/** Visibility rules that must hold for every caller and every target, over a generated company. */

const data = new AccountData(generateCompany({ extensions: 400, seedNumber: 7 }));
const url = 'http://127.0.0.1:1';
const index = fc.integer({ min: 0, max: data.extensions.length - 1 });
const callerOf = (i: number): Caller => ({ accountId: data.account.id, extension: data.extensions[i]!, appPermissions: ['ReadAccounts'] });

describe('visibility holds for every caller and target', () => {
  it("answering rules and caller ID are the owner's and administrators' alone", () => {
    fc.assert(
      fc.property(index, index, (c, t) => {
        const caller = callerOf(c);
        const target = data.extensions[t]!;
        const mayRead = caller.extension.admin || caller.extension.id === target.id;
        for (const permission of ['ReadUserAnsweringRules', 'ReadCallerIDSettings'] as const) {
          expect(userPermissionVerdict(caller, permission, target)).toBe(mayRead ? 'allowed' : 'otherExtension');
        }
      }),
    );
  });

  it("a standard user never sees another extension's non-DirectNumber records or any features", () => {
    fc.assert(
      fc.property(index, index, (c, t) => {
        const caller = callerOf(c);
        const target = data.extensions[t]!;
        fc.pre(!caller.extension.admin && caller.extension.id !== target.id);
        const view = phoneNumberView(caller, target);
        const records = data
          .phoneNumbersOf(target)
          .filter((n) => visibleUnder(view, n))
          .map((n) => extensionPhoneNumber(url, data, n, view));
        return records.every((r) => r.usageType === 'DirectNumber' && !('features' in r));
      }),
    );
  });

  it('an administrator, or the owner, sees every number of the extension with its features', () => {
    fc.assert(
      fc.property(index, index, (c, t) => {
        const caller = callerOf(c);
        const target = data.extensions[t]!;
        fc.pre(caller.extension.admin || caller.extension.id === target.id);
        const view = phoneNumberView(caller, target);
        const all = data.phoneNumbersOf(target);
        const records = all.filter((n) => visibleUnder(view, n)).map((n) => extensionPhoneNumber(url, data, n, view));
        return records.length === all.length && records.every((r) => 'features' in r);
      }),
    );
  });

  it("a standard user's view of another extension carries only public contact fields and no settings", () => {
    fc.assert(
      fc.property(index, index, (c, t) => {
        const caller = callerOf(c);
        const target = data.extensions[t]!;
        fc.pre(!caller.extension.admin && caller.extension.id !== target.id);
        const view = extensionView(caller, target);
        expect(view).toBe('public');
        for (const body of [extensionInfo(url, data, target, view), extensionListRecord(url, data, target, view)]) {
          const contact = body.contact as Record<string, unknown>;
          expect(Object.keys(contact).every((k) => (publicContactFields as readonly string[]).includes(k))).toBe(true);
          for (const hiddenField of ['permissions', 'regionalSettings', 'serviceFeatures', 'hidden', 'profileImage'])
            expect(body).not.toHaveProperty(hiddenField);
        }
      }),
    );
  });

  it('the directory never lists ApplicationExtension, hidden, Frozen or Unassigned extensions, reports people as "User", and shows only their DirectNumbers', () => {
    fc.assert(
      // The generated company has almost no hidden, ApplicationExtension, Frozen or Unassigned extensions, so each
      // drawn extension takes its type, status and hidden flag from the whole of the seed's enums.
      fc.property(
        index,
        fc.constantFrom(...ExtensionType.options),
        fc.constantFrom(...ExtensionStatus.options),
        fc.boolean(),
        (t, type, status, hidden) => {
          const extension = { ...data.extensions[t]!, type, status, hidden };
          const excluded =
            extension.type === 'ApplicationExtension' ||
            extension.hidden ||
            !['Enabled', 'Disabled', 'NotActivated'].includes(extension.status);
          // Both ways: an excluded extension is not listed, and every other one is.
          expect(inDirectory(extension), `${extension.extensionNumber} ${extension.type} ${extension.status}`).toBe(!excluded);
          if (excluded) return true;
          const entry = directoryEntry(data, extension);
          const people = ['User', 'FaxUser', 'VirtualUser', 'DigitalUser'];
          const directNumbers = data
            .mappedNumbersOf(extension)
            .filter((n) => n.usageType === 'DirectNumber')
            .map((n) => n.phoneNumber);
          expect(entry.phoneNumbers.map((n) => n.phoneNumber)).toEqual(directNumbers);
          return (
            (people.includes(extension.type) ? entry.type === 'User' : entry.type === extension.type) &&
            entry.phoneNumbers.every((n) => n.usageType === 'DirectNumber')
          );
        },
      ),
    );
  });
});
