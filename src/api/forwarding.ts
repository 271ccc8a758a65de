import { extensionPath } from './paths.ts';
import type { CallOptions, UserRequester } from './requester.ts';
import { ForwardingNumberList } from './schemas.ts';

export interface ListForwardingNumbersParams {
  page?: number | undefined;
  perPage?: number | undefined;
}

/**
 * GET /restapi/v1.0/account/~/extension/{extensionId}/forwarding-number (Light). Own extension only:
 * anyone else's needs an extended-scope permission and otherwise fails 403 CMN-419.
 */
export async function listForwardingNumbers(
  requester: UserRequester,
  extensionId = '~',
  params: ListForwardingNumbersParams = {},
  options?: CallOptions,
): Promise<ForwardingNumberList> {
  return requester.fetch(
    {
      operation: 'listForwardingNumbers',
      method: 'GET',
      path: `${extensionPath(extensionId)}/forwarding-number`,
      query: { page: params.page, perPage: params.perPage },
      schema: ForwardingNumberList,
    },
    options,
  );
}
