/**
 * An error the user can fix: bad input, a bad file, a bad flag. The CLI prints its message as one line
 * (what is wrong, where, what to do) and exits non-zero; anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * A model or run setting out of range, named in the lecture's words (`n_hidden`, `batch_size`): the core
 * knows no command-line flags. The CLI names its own flag instead (`--n-hidden must be ...`); the lab names
 * its field. `detail` is the rest of the sentence ("must be an integer >= 1, got 0").
 */
export class ConfigError extends UserError {
  constructor(readonly setting: string, readonly detail: string) {
    super(`${setting} ${detail}`);
    this.name = 'ConfigError';
  }
}
