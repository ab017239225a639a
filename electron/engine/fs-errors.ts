/** A file-system error as a user reads it: "ENOENT: no such file or directory" (no stack, no path). */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  if (err && typeof err.message === 'string') {
    const message = err.message.replace(/, \w+ '.*'$/s, '');
    if (err.code && !message.startsWith(err.code)) return `${err.code}: ${message}`;
    return message;
  }
  return String(e);
}
