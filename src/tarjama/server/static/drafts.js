// The editor's session in the browser (localStorage): the text, the last translation and
// every unapproved edit. Nothing here reaches the server; an approval does, and then the
// approved sentences' drafts are dropped. A reload finds the session as it was.

const KEY = "tarjama.desk.v1";

/** The saved session, or null (none, or unreadable). */
export function loadSession() {
  try {
    const raw = window.localStorage.getItem(KEY);
    const session = raw ? JSON.parse(raw) : null;
    return session && typeof session === "object" ? session : null;
  } catch (err) {
    return null;
  }
}

/** Save the session; false when the browser refuses (private mode, full storage). */
export function saveSession(session) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify({ ...session, saved: new Date().toISOString() }));
    return true;
  } catch (err) {
    return false;
  }
}

/** Drafts are kept by language pair and source sentence, so that translating the same
 * article again (or after a reload) finds them on the same sentences. */
export function draftKey(source, target, sentence) {
  return `${source}>${target}|${sentence}`;
}
