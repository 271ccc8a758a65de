import { ACCOUNT_PATH, extensionPath } from './paths.ts';
import type { CallOptions, UserRequester } from './requester.ts';
import type { ExtensionStatus, ExtensionType } from './schemas.ts';
import { Extension, ExtensionList } from './schemas.ts';

export interface ListExtensionsParams {
  extensionNumber?: string | undefined;
  email?: string | undefined;
  status?: ExtensionStatus | readonly ExtensionStatus[] | undefined;
  type?: ExtensionType | readonly ExtensionType[] | undefined;
  /** 1-based. */
  page?: number | undefined;
  /** Default 100, at most 1000. */
  perPage?: number | undefined;
}

/** GET /restapi/v1.0/account/~/extension (Medium). */
export async function listExtensions(
  requester: UserRequester,
  params: ListExtensionsParams = {},
  options?: CallOptions,
): Promise<ExtensionList> {
  return requester.fetch(
    {
      operation: 'listExtensions',
      method: 'GET',
      path: `${ACCOUNT_PATH}/extension`,
      query: {
        extensionNumber: params.extensionNumber,
        email: params.email,
        status: params.status,
        type: params.type,
        page: params.page,
        perPage: params.perPage,
      },
      schema: ExtensionList,
    },
    options,
  );
}

/** GET /restapi/v1.0/account/~/extension/{extensionId} (Light). */
export async function readExtension(requester: UserRequester, extensionId = '~', options?: CallOptions): Promise<Extension> {
  return requester.fetch({ operation: 'readExtension', method: 'GET', path: extensionPath(extensionId), schema: Extension }, options);
}
