// Database URLs may carry credentials (postgres://user:secret@host/db). Every message, log line and error
// that names a store location goes through here, so a password never reaches a terminal or a log.

/** The location with the password of a URL replaced by `***` (a file path is returned unchanged). */
export function redactUrl(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

/** Any text (an error message of the database driver) with every URL password in it masked. */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*):[^/@\s]*@/gi, '$1:***@');
}
