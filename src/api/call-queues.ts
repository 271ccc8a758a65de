import { callQueuePath } from './paths.ts';
import type { CallOptions, UserRequester } from './requester.ts';
import { CallQueueMemberList } from './schemas.ts';

export interface ListCallQueueMembersParams {
  page?: number | undefined;
  /** Default 100, at most 1000. */
  perPage?: number | undefined;
}

/** GET /restapi/v1.0/account/~/call-queues/{groupId}/members (Light). A call queue's id is its Department extension's id. */
export async function listCallQueueMembers(
  requester: UserRequester,
  groupId: string,
  params: ListCallQueueMembersParams = {},
  options?: CallOptions,
): Promise<CallQueueMemberList> {
  return requester.fetch(
    {
      operation: 'listCallQueueMembers',
      method: 'GET',
      path: `${callQueuePath(groupId)}/members`,
      query: { page: params.page, perPage: params.perPage },
      schema: CallQueueMemberList,
    },
    options,
  );
}
