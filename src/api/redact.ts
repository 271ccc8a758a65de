const REDACTED = '[redacted]';

/**
 * Secret-looking fragments RingCentral (or a proxy) might echo back: OAU-123 quotes the Authorization
 * header, and token-endpoint errors can quote request parameters.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /\b(access_token|refresh_token|code|code_verifier|client_secret|token|assertion)=[^&\s"']+/gi,
  /"(access_token|refresh_token|code|code_verifier|client_secret|token|assertion)"\s*:\s*"[^"]*"/gi,
];

/** Removes the given secrets and anything shaped like a credential from text meant for errors or logs. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let clean = text;
  for (const secret of secrets) {
    // Short values could be ordinary words; real tokens and codes are long.
    if (secret.length >= 8) clean = clean.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    clean = clean.replace(pattern, (match, name: string) =>
      match.startsWith('"') ? `"${name}":"${REDACTED}"` : /^(bearer|basic)/i.test(match) ? `${name} ${REDACTED}` : `${name}=${REDACTED}`,
    );
  }
  return clean;
}
