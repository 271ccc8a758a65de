export type StoreErrorKind =
  | 'invalid-setting'
  | 'database-unavailable'
  | 'schema-too-new'
  | 'unknown-encryption-key'
  | 'corrupt-ciphertext'
  | 'invalid-state'
  | 'expired-state'
  | 'used-state';

/** Every failure the store reports on purpose. Messages never contain a key, a token or a state string. */
export class StoreError extends Error {
  readonly kind: StoreErrorKind;

  constructor(kind: StoreErrorKind, message: string) {
    super(message);
    this.name = new.target.name;
    this.kind = kind;
  }
}

/** A setting (TOKEN_ENCRYPTION_KEY, DATABASE_URL …) has a value the store cannot use. Fails start-up. */
export class InvalidSetting extends StoreError {
  readonly setting: string;

  constructor(setting: string, problem: string) {
    super('invalid-setting', `${setting} ${problem}`);
    this.setting = setting;
  }
}

/**
 * The database cannot answer now: unreachable, restarting, a connection dropped, or a statement or lock wait ran out
 * of time. Nothing was lost; the same call may succeed later. The driver's error is kept as `cause`.
 */
export class DatabaseUnavailable extends StoreError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('database-unavailable', `the database is unavailable: ${reason}`);
    if (options !== undefined) this.cause = options.cause;
  }
}

/** The database was migrated by a newer Switchboard; running older code on it could lose data. */
export class SchemaTooNew extends StoreError {
  constructor(databaseVersion: number, knownVersion: number) {
    super(
      'schema-too-new',
      `database schema is at version ${databaseVersion} but this build knows only up to ${knownVersion}; ` + 'upgrade Switchboard',
    );
  }
}

/**
 * Ciphertext was written with a key that is neither the current key nor one of the old keys.
 * The data is left untouched so that configuring the right key brings it back.
 */
export class UnknownEncryptionKey extends StoreError {
  readonly keyIds: readonly string[];

  constructor(keyIds: readonly string[], detail = '') {
    super(
      'unknown-encryption-key',
      `data is encrypted with key id ${keyIds.join(', ')}, which is neither TOKEN_ENCRYPTION_KEY nor listed in ` +
        `TOKEN_ENCRYPTION_KEYS_OLD${detail}; configure the key it was written with (nothing was deleted)`,
    );
    this.keyIds = keyIds;
  }
}

/** Ciphertext is malformed or fails authentication: tampered with, truncated, or moved to another row. */
export class CorruptCiphertext extends StoreError {
  constructor(reason: string) {
    super('corrupt-ciphertext', `encrypted value cannot be read: ${reason}`);
  }
}

/** The OAuth `state` is not one we issued (malformed, bad signature) or belongs to another user. */
export class InvalidState extends StoreError {
  constructor(reason: string) {
    super('invalid-state', `link state is invalid: ${reason}`);
  }
}

export class ExpiredState extends StoreError {
  constructor() {
    super('expired-state', 'link state has expired');
  }
}

/** A genuine state whose pending link is gone: it was already consumed. */
export class UsedState extends StoreError {
  constructor() {
    super('used-state', 'link state was already used');
  }
}
