/** The chat user whose profile email matches an extension's email; the id is the chat platform's own. */
export interface ChatUserRef {
  id: string;
  displayName?: string;
}

/**
 * The chat platform's side of a lookup, supplied by the Slack or Teams adapter: handlers never call a chat API
 * themselves. Both methods answer undefined rather than fail; a missing chat profile never spoils a RingCentral answer.
 */
export interface ChatPeople {
  /** The email on a chat user's profile, for `/ext @someone`. */
  emailOf(chatUserId: string): Promise<{ email?: string; displayName?: string } | undefined>;
  /** The chat user whose profile carries this email, shown beside the extension. */
  findByEmail(email: string): Promise<ChatUserRef | undefined>;
}

/** For platforms or tests without a people directory. */
export const noChatPeople: ChatPeople = {
  emailOf: async () => undefined,
  findByEmail: async () => undefined,
};
