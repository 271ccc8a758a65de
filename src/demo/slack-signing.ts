import { createHmac } from 'node:crypto';

/** Signs a request body the way Slack does (v0 scheme), so the real Bolt endpoint can verify it. */
export function slackSignatureHeaders(
  body: string,
  signingSecret: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const base = `v0:${timestampSeconds}:${body}`;
  const signature = `v0=${createHmac('sha256', signingSecret).update(base).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': signature,
  };
}
