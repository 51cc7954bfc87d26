// The memory view: find entries of the translation memory by their source or their
// translation (containing the words, or similar to them), see what was done to each, edit,
// remove and undo a removal. Everything goes through the memory API (GET /v1/memory/search,
// GET/PATCH/DELETE /v1/memory/{id}, POST /v1/memory/{id}/restore, GET .../history); the
// page shows what the server answers, and after a reload asks it again. Entries are
// inserted as text, never parsed as HTML.

import { $, api, ask, dirOf, el } from "./dom.js";

/** The most entries one search shows: the API's own cap (newest or best first). */
export const PAGE = 20;
/** Removals kept for undo in this browser (each checked with the server after a reload). */
const UNDO_KEPT = 5;
const KEY = "tarjama.memory.v1";

const view = {
  access: { writable: false, readonly: false, open: false, keys: false, exists: false },
  apiKey: () => null,
  pair: () => ({ source: "ar", target: "en" }),
  name: (code) => code,
  removed: [], // [{id, source, source_lang}], newest first
  shown: new Map(), // id -> the entry's record, as last answered
};

// -- what this browser keeps (the last search and the removals to undo) ---------------

function load() {
  try {
    const kept = JSON.parse(window.localStorage.getItem(KEY) || "null");
    return kept && typeof kept === "object" ? kept : {};
  } catch (err) {
    return {};
  }
}

function keep() {
  const search = { q: $("memory-q").value, side: $("memory-side").value, mode: $("memory-mode").value };
  try {
    window.localStorage.setItem(KEY, JSON.stringify({
      search, removed: view.removed.map((r) => r.id),
    }));
  } catch (err) {
    // A browser that keeps nothing: the view works, a reload forgets the search.
  }
}

// -- talking to the server -------------------------------------------------------------

function withKey(params = {}) {
  const key = view.apiKey();
  return key ? { ...params, api_key: key } : params;
}

function query(params) {
  return new URLSearchParams(withKey(params)).toString();
}

/** A write: its JSON body carries the key where there is one. */
function write(path, body = {}, method = "POST") {
  return api(path, withKey(body), method);
}

function say(text) {
  $("memory-status").textContent = text;
}

function fail(message) {
  const box = $("memory-error");
  box.textContent = message;
  box.hidden = !message;
}

// -- who may write -----------------------------------------------------------------------

/** Why this page may not change the memory, or null when it may. */
function whyReadOnly() {
  const a = view.access;
  if (a.readonly) return "The translation memory is read-only on this server (--memory-readonly).";
  if (a.writable) return null;
  return "Changing the memory needs an API key, or a server started with --open-memory " +
    "(a single-user desk on this computer).";
}

function accessText() {
  const a = view.access;
  const why = whyReadOnly();
  if (why) return `Read only. ${why}`;
  if (a.keys) return "Searching and changing the memory need your API key (above); " +
    "every change is recorded under its name.";
  return "Open memory (--open-memory): changes here go in without a key, recorded as " +
    "\u201canonymous\u201d.";
}

/** Set what the server said of its memory (GET /v1/memory). */
export function setAccess(state) {
  Object.assign(view.access, state);
  $("memory-access").textContent = accessText();
  updateButtons();
}

/** A button that changes the memory: disabled, saying why, where the page may not. */
function writes(button) {
  const why = whyReadOnly();
  button.classList.add("writes");
  button.disabled = Boolean(why);
  if (why) button.title = why;
  else button.removeAttribute("title");
  return button;
}

function updateButtons() {
  for (const button of $("memory-view").querySelectorAll("button.writes")) writes(button);
}

// -- rendering ---------------------------------------------------------------------------

/** A text in its own language and direction, isolated from the text around it. */
function text(value, lang, tag = "bdi", cls = null) {
  return el(tag, { lang, dir: dirOf(lang), class: cls }, value);
}

function when(iso) {
  if (!iso) return "";
  return el("time", { datetime: iso }, iso.replace("T", " ").replace(/\.\d+/, "").replace(/\+00:00$|Z$/, " UTC"));
}

function headOf(record, score) {
  const parts = [`Entry ${record.id}`, record.origin];
  if (record.author) parts.push(`by ${record.author}`);
  if (typeof score === "number") parts.push(`similarity ${Math.round(score * 100)}%`);
  if (record.context) parts.push(`in \u201c${record.context}\u201d`);
  return el("h3", { id: `entry-${record.id}-head`, class: "entry-head" },
    parts.join(" \u00b7 "), record.changed ? " \u00b7 changed " : "",
    record.changed ? when(record.changed) : null,
    record.removed ? el("span", { class: "badge removed" }, "removed") : null);
}

function entryButton(label, record, action, changes = false) {
  const button = el("button", { type: "button", "aria-label": `${label} entry ${record.id}` }, label);
  button.addEventListener("click", action);
  return changes ? writes(button) : button;
}

function renderEntry(item, record, score) {
  view.shown.set(record.id, record);
  item.dataset.id = record.id;
  item.classList.toggle("removed", record.removed);
  const more = el("div", { class: "entry-more", id: `entry-${record.id}-more` });
  const history = entryButton("History", record, () => toggleHistory(item, record, more));
  history.setAttribute("aria-expanded", "false");
  history.setAttribute("aria-controls", more.id);
  history.classList.add("history-toggle");
  const buttons = record.removed
    ? [history, entryButton("Undo", record, () => restore(record.id), true)]
    : [history,
      entryButton("Edit", record, () => startEdit(item, record, more), true),
      entryButton("Remove", record, () => remove(record.id), true)];
  item.replaceChildren(el("article", { "aria-labelledby": `entry-${record.id}-head` },
    headOf(record, score),
    el("div", { class: "entry-pair" },
      text(record.source, record.source_lang, "p", "entry-source"),
      text(record.target, record.target_lang, "p", "entry-target")),
    el("div", { class: "entry-buttons" }, ...buttons),
    more));
}

/** One act of the history in words: what changed, from what to what. */
function eventText(event, record) {
  const d = event.detail || {};
  const parts = [];
  if (Array.isArray(d.target)) {
    parts.push("translation ", text(String(d.target[0]), record.target_lang), " \u2192 ",
      text(String(d.target[1]), record.target_lang));
  }
  if (Array.isArray(d.context)) parts.push(` context \u201c${d.context[0]}\u201d \u2192 \u201c${d.context[1]}\u201d`);
  if (d.was && d.was !== "editor") parts.push(` (was ${d.was})`);
  if (d.origin && event.action === "unapproved") parts.push(` (now ${d.origin})`);
  if (d.forced && Array.isArray(d.overrode)) {
    const issues = d.overrode.map((i) => i.plain || i.message || i.check).join("; ");
    parts.push(` over ${d.overrode.length} error${d.overrode.length === 1 ? "" : "s"}: ${issues}`);
  }
  for (const k of ["creationid", "changeid", "usagecount"]) {
    if (d[k] !== undefined) parts.push(` ${k} ${d[k]}`);
  }
  return parts;
}

async function toggleHistory(item, record, more) {
  const button = item.querySelector(".history-toggle");
  if (button.getAttribute("aria-expanded") === "true") {
    button.setAttribute("aria-expanded", "false");
    more.replaceChildren();
    return;
  }
  fail("");
  try {
    const answer = await api(`/v1/memory/${record.id}/history?${query({})}`);
    const list = el("ol", { class: "history", "aria-label": `History of entry ${record.id}` },
      ...answer.history.map((event) => el("li", {},
        when(event.at), " ", el("strong", {}, event.action), ` by ${event.actor}`,
        ...eventText(event, record))));
    more.replaceChildren(list);
    button.setAttribute("aria-expanded", "true");
  } catch (err) {
    fail(`Could not read the history of entry ${record.id}: ${err.message}`);
  }
}

// -- searching -----------------------------------------------------------------------------

function sideLang() {
  const pair = view.pair();
  return $("memory-side").value === "target" ? pair.target : pair.source;
}

/** The search box speaks the language of the side searched. */
function updateBox() {
  const box = $("memory-q");
  box.lang = sideLang();
  box.dir = dirOf(sideLang());
}

export async function search(event) {
  if (event) event.preventDefault();
  const q = $("memory-q").value;
  fail("");
  if (!q.trim()) {
    fail("Type a few words of a source sentence or of a translation first.");
    $("memory-q").focus();
    return;
  }
  keep();
  const pair = view.pair();
  const mode = $("memory-mode").value;
  const side = $("memory-side").value;
  const params = { q, source: pair.source, target: pair.target, side, mode, limit: PAGE };
  if (mode === "fuzzy") params.threshold = $("memory-threshold").value;
  say("Searching\u2026");
  $("memory-results").setAttribute("aria-busy", "true");
  try {
    const answer = await api(`/v1/memory/search?${query(params)}`);
    showEntries(answer.entries || [], { side, mode });
  } catch (err) {
    say("");
    fail(`The search failed: ${err.message}`);
  } finally {
    $("memory-results").setAttribute("aria-busy", "false");
  }
}

function showEntries(entries, { side, mode }) {
  view.shown.clear();
  const items = entries.map((found) => {
    const item = el("li", { class: "entry" });
    renderEntry(item, found, found.score);
    return item;
  });
  $("memory-results").replaceChildren(...items);
  const where = side === "target" ? "translations" : "sources";
  const how = mode === "fuzzy" ? "similar to" : "containing";
  const n = entries.length;
  const capped = n >= PAGE
    ? ` Showing the first ${PAGE} (${mode === "fuzzy" ? "most similar" : "newest"} first): narrow the search to see others.`
    : "";
  say(`${n || "No"} entr${n === 1 ? "y" : "ies"} whose ${where} ${n === 1 ? "is" : "are"} ` +
    `${how} the words searched.${capped}`);
}

// -- changing an entry ----------------------------------------------------------------------

function startEdit(item, record, more) {
  const id = `entry-${record.id}-edit`;
  const box = el("textarea", {
    id, rows: 3, lang: record.target_lang, dir: dirOf(record.target_lang), spellcheck: "true",
  });
  box.value = record.target;
  const context = el("input", { type: "text", id: `${id}-context`, autocomplete: "off" });
  context.value = record.context || "";
  const save = writes(el("button", { type: "submit", class: "primary" }, "Save"));
  const cancel = el("button", { type: "button" }, "Cancel");
  const form = el("form", { class: "entry-edit", "aria-label": `Edit entry ${record.id}` },
    el("label", { for: id }, `Translation (${view.name(record.target_lang)})`), box,
    el("label", { for: `${id}-context` }, "Article (title or id)"), context,
    el("div", { class: "entry-buttons" }, save, cancel));
  cancel.addEventListener("click", () => {
    more.replaceChildren();
    item.querySelector("button[aria-label^='Edit']")?.focus();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    edit(item, record, { target: box.value, context: context.value });
  });
  more.replaceChildren(form);
  box.focus();
}

/** PATCH the entry; over errors the server found, ask once, naming them, then force. */
async function edit(item, record, wanted) {
  const body = {};
  if (wanted.target.trim() !== record.target) body.target = wanted.target.trim();
  if (wanted.context !== (record.context || "")) body.context = wanted.context;
  if (!Object.keys(body).length) {
    say(`Entry ${record.id}: nothing changed.`);
    return;
  }
  if (body.target === "") {
    fail("A translation cannot be empty: remove the entry instead.");
    return;
  }
  fail("");
  try {
    let done;
    try {
      done = await write(`/v1/memory/${record.id}`, body, "PATCH");
    } catch (err) {
      if (err.status !== 409 || !(err.data && Array.isArray(err.data.issues))) throw err;
      const go = await ask(`The new translation of entry ${record.id} has errors. Save it anyway?`,
        err.data.issues.map((i) => String(i.plain || i.message || i.check)),
        [["Save anyway", true], ["Cancel", null]]);
      if (!go) {
        say(`Entry ${record.id} not changed.`);
        return;
      }
      done = await write(`/v1/memory/${record.id}`, { ...body, force: true }, "PATCH");
    }
    renderEntry(item, done);
    say(`Entry ${record.id} saved: an editor's approval from now on.`);
    item.querySelector("button[aria-label^='Edit']")?.focus();
  } catch (err) {
    fail(`Could not change entry ${record.id}: ${err.message}`);
  }
}

function renderUndo() {
  const items = view.removed.map((r) => {
    const button = writes(el("button", {
      type: "button", "aria-label": `Undo the removal of entry ${r.id}`,
    }, "Undo"));
    button.addEventListener("click", () => restore(r.id));
    return el("li", {}, `Removed entry ${r.id}: `, text(r.source, r.source_lang), " ", button);
  });
  $("memory-undo").replaceChildren(...items);
  $("memory-undo").hidden = !items.length;
}

async function remove(id) {
  fail("");
  try {
    const record = await write(`/v1/memory/${id}`, {}, "DELETE");
    view.removed = [record, ...view.removed.filter((r) => r.id !== id)].slice(0, UNDO_KEPT);
    keep();
    renderUndo();
    const item = $("memory-results").querySelector(`li[data-id="${id}"]`);
    if (item) renderEntry(item, record);
    say(`Entry ${id} removed: no translation uses it now. Undo brings it back.`);
    $("memory-undo").querySelector(`button[aria-label$="entry ${id}"]`)?.focus();
  } catch (err) {
    fail(`Could not remove entry ${id}: ${err.message}`);
  }
}

async function restore(id) {
  fail("");
  try {
    const record = await write(`/v1/memory/${id}/restore`);
    view.removed = view.removed.filter((r) => r.id !== id);
    keep();
    renderUndo();
    const item = $("memory-results").querySelector(`li[data-id="${id}"]`);
    if (item) renderEntry(item, record);
    say(`Entry ${id} is back.`);
  } catch (err) {
    fail(`Could not bring entry ${id} back: ${err.message}`);
  }
}

// -- setting up ---------------------------------------------------------------------------

/** ``apiKey()``: the key typed on the page (or null); ``pair()``: the languages chosen
 * above ({source, target}); ``name(code)``: a language's name. */
export function configure(settings) {
  Object.assign(view, settings);
  $("memory-form").addEventListener("submit", search);
  for (const id of ["memory-side", "source", "target"]) $(id).addEventListener("change", updateBox);
  $("memory-mode").addEventListener("change", () => {
    $("memory-threshold-label").hidden = $("memory-mode").value !== "fuzzy";
  });
  updateBox();
}

/** After the server's settings: the last search and the removals come back as the server
 * has them now (a reload shows the truth, not what this browser remembered). */
export async function resume() {
  const kept = load();
  const search0 = kept.search || {};
  if (typeof search0.q === "string") $("memory-q").value = search0.q;
  if (["source", "target"].includes(search0.side)) $("memory-side").value = search0.side;
  if (["substring", "fuzzy"].includes(search0.mode)) $("memory-mode").value = search0.mode;
  $("memory-threshold-label").hidden = $("memory-mode").value !== "fuzzy";
  updateBox();
  const ids = Array.isArray(kept.removed) ? kept.removed.filter(Number.isInteger).slice(0, UNDO_KEPT) : [];
  const records = await Promise.all(ids.map((id) =>
    api(`/v1/memory/${id}?${query({})}`).catch(() => null)));
  view.removed = records.filter((r) => r && r.removed);
  renderUndo();
  // With keys on, nothing is read before a key is typed: the search waits for the editor.
  if ($("memory-q").value.trim() && (!view.access.keys || view.apiKey())) await search();
}
