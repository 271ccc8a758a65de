import { ACCOUNT_PATH } from './paths.ts';
import type { CallOptions, UserRequester } from './requester.ts';
import { AccountInfo } from './schemas.ts';

/** GET /restapi/v1.0/account/~ (Light). */
export async function readAccountInfo(requester: UserRequester, options?: CallOptions): Promise<AccountInfo> {
  return requester.fetch({ operation: 'readAccountInfo', method: 'GET', path: ACCOUNT_PATH, schema: AccountInfo }, options);
}
