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
