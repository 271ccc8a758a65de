/**
 * RingCentral's error bodies. REST errors carry the spec's `errors[]` plus the deprecated top-level
 * `errorCode`/`message` that the wire still sends; where RingCentral sends a legacy code there ("TokenInvalid",
 * "InsufficientPermissions") it differs from errors[0].errorCode, and we copy that quirk.
 * OAuth endpoint errors are RFC 6749 (`error`, `error_description`) plus `errors[]`.
 */

export interface ErrorDetail {
  errorCode: string;
  message: string;
  parameterName?: string;
  parameterValue?: string;
  permissionName?: string;
}

export interface RestErrorBody {
  errorCode: string;
  message: string;
  errors: ErrorDetail[];
  parameterName?: string;
  permissionName?: string;
}

/** A REST error a handler throws; the server turns it into RingCentral's body and status. */
export class RestError extends Error {
  override readonly name = 'RestError';
  constructor(
    readonly status: number,
    readonly detail: ErrorDetail,
    readonly legacyCode: string = detail.errorCode,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail.message);
  }

  body(): RestErrorBody {
    const body: RestErrorBody = { errorCode: this.legacyCode, message: this.detail.message, errors: [this.detail] };
    if (this.detail.parameterName !== undefined) body.parameterName = this.detail.parameterName;
    if (this.detail.permissionName !== undefined) body.permissionName = this.detail.permissionName;
    return body;
  }
}

export const restErrors = {
  noAuthorizationHeader: () => new RestError(401, { errorCode: 'AGW-401', message: 'Authorization header is not specified' }),
  accessTokenExpired: () => new RestError(401, { errorCode: 'OAU-128', message: 'Access token expired' }),
  tokenNotFound: () => new RestError(401, { errorCode: 'OAU-213', message: 'Token not found' }, 'TokenInvalid'),
  invalidToken: () => new RestError(401, { errorCode: 'OAU-149', message: 'Invalid token' }, 'TokenInvalid'),
  appPermissionMissing: (permission: string) =>
    new RestError(
      403,
      {
        errorCode: 'CMN-401',
        message: `In order to call this API endpoint, application needs to have [${permission}] permission`,
        permissionName: permission,
      },
      'InsufficientPermissions',
    ),
  userPermissionMissing: (permission: string) =>
    new RestError(
      403,
      {
        errorCode: 'CMN-408',
        message: `In order to call this API endpoint, user needs to have [${permission}] permission for requested resource.`,
        permissionName: permission,
      },
      'InsufficientPermissions',
    ),
  anotherExtension: (permission: string) =>
    new RestError(
      403,
      {
        errorCode: 'CMN-419',
        message: `In order to call this API endpoint for another extension, user needs to have [${permission}] permission granted with extended scope`,
        permissionName: permission,
      },
      'InsufficientPermissions',
    ),
  featureNotAvailable: () => new RestError(403, { errorCode: 'CMN-403', message: 'The feature is not available for this extension type' }),
  notFound: (parameterName: string, parameterValue?: string) =>
    new RestError(404, {
      errorCode: 'CMN-102',
      message: `Resource for parameter [${parameterName}] is not found`,
      parameterName,
      ...(parameterValue === undefined ? {} : { parameterValue }),
    }),
  invalidUri: () => new RestError(404, { errorCode: 'CMN-120', message: 'Invalid URI' }),
  invalidParameter: (parameterName: string, parameterValue?: string) =>
    new RestError(400, {
      errorCode: 'CMN-101',
      message: `Parameter [${parameterName}] value is invalid.`,
      parameterName,
      ...(parameterValue === undefined ? {} : { parameterValue }),
    }),
  rateExceeded: (retryAfterSeconds: number) =>
    new RestError(429, { errorCode: 'CMN-301', message: 'Request rate exceeded' }, 'CMN-301', {
      'Retry-After': String(retryAfterSeconds),
    }),
  unavailable: () => new RestError(503, { errorCode: 'CMN-201', message: 'Service Temporary Unavailable' }),
  internal: () => new RestError(500, { errorCode: 'CMN-203', message: 'Internal Server Error' }),
};

export interface OAuthErrorBody {
  error: string;
  error_description: string;
  errors: ErrorDetail[];
}

/** An error from /restapi/oauth/token or /revoke. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly detail: ErrorDetail,
  ) {
    super(detail.message);
  }

  body(): OAuthErrorBody {
    return { error: this.error, error_description: this.detail.message, errors: [this.detail] };
  }
}

export const oauthErrors = {
  clientAuthenticationRequired: () =>
    new OAuthError(401, 'invalid_client', { errorCode: 'OAU-123', message: 'Client authentication is required' }),
  invalidClient: (clientId: string) =>
    new OAuthError(401, 'invalid_client', {
      errorCode: 'OAU-153',
      message: `Invalid client: ${clientId}`,
      parameterName: 'client_id',
      parameterValue: clientId,
    }),
  // What RingCentral answers an app using a grant it was not given (e.g. password on an auth-code app).
  grantNotAllowed: () => new OAuthError(400, 'unauthorized_client', { errorCode: 'OAU-251', message: 'Unauthorized for this grant type' }),
  missingParameter: (name: string) =>
    new OAuthError(400, 'invalid_request', { errorCode: 'CMN-101', message: `Parameter [${name}] value is invalid.`, parameterName: name }),
  // The docs' error table gives the refused-code errors as 403, not RFC 6749's 400.
  invalidCode: () => new OAuthError(403, 'invalid_grant', { errorCode: 'OAU-106', message: 'Invalid authorization code' }),
  codeExpired: () => new OAuthError(403, 'invalid_grant', { errorCode: 'OAU-108', message: 'Authorization code is expired' }),
  codeForOtherApp: () =>
    new OAuthError(403, 'invalid_grant', { errorCode: 'OAU-110', message: 'Authorization code was not issued for this application' }),
  redirectMismatch: () => new OAuthError(403, 'invalid_grant', { errorCode: 'OAU-109', message: 'Redirect URIs do not match' }),
  // RingCentral publishes no code for a failed PKCE check; OAU-106 is the closest documented one.
  codeVerifierMismatch: () =>
    new OAuthError(403, 'invalid_grant', { errorCode: 'OAU-106', message: 'Invalid authorization code: code_verifier does not match' }),
  refreshTokenInvalid: () => new OAuthError(400, 'invalid_grant', { errorCode: 'OAU-213', message: 'Token not found' }),
  refreshTokenExpired: () => new OAuthError(400, 'invalid_grant', { errorCode: 'OAU-210', message: 'Token expired' }),
  extensionNotAllowed: () => new OAuthError(400, 'invalid_grant', { errorCode: 'OAU-236', message: 'Extension is disabled or frozen' }),
};
