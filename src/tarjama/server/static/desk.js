// The editor's desk: each translated sentence beside its source, editable where it stands,
// checked again as the editor types (through /v1/check), with the memory's suggestions and
// the issues on it; approving a sentence, a paragraph or the article writes the pairs to the
// memory (POST /v1/memory). Nothing is written without an approval.

import { $, api, ask, debounce, dirOf, el } from "./dom.js";
import { draftKey } from "./drafts.js";
import {
  countIssues, countText, issueList, locate, markedText, mergeIssues, suggestionList,
} from "./notes.js";
import {
  clean, currentDocument, currentText, editorOf, label, unitsOf, writer,
} from "./units.js";

const CHECK_DELAY_MS = 400;
/** A sentence at least this likely to need fixing is marked and listed to look at first
 * (the server's ``LOOK_AT``, tarjama/document.py); the list holds at most LOOK_FIRST_MAX. */
const LOOK_AT = 0.5;
const LOOK_FIRST_MAX = 10;
/** What the empty check says, for a sentence the editor emptied (/v1/check needs a text). */
const EMPTY = {
  check: "empty", severity: "error", message: "the translation is empty",
  plain: "This sentence has no translation.",
};

const desk = {
  result: null,
  units: [],
  byKey: new Map(),
  editing: null,
  writable: true,
  keys: false,
  // Set by the page: what a request needs, and what to do when something changes.
  options: { apiKey: () => null, glossary: () => "", title: () => "" },
  onChange: () => {},
  announce: () => {},
  showError: () => {},
};

export function configure(settings) {
  Object.assign(desk, settings);
}

function keyOf(unit) {
  return draftKey(desk.result.source, desk.result.target, unit.source);
}

/** The drafts to keep: every unapproved edit, by language pair and source sentence. */
export function drafts() {
  const out = {};
  for (const u of desk.units) if (u.edited && !u.approved) out[keyOf(u)] = u.text;
  return out;
}

/** The approved sentences' texts, by the same keys: a reload shows them approved. */
export function approvals() {
  const out = {};
  for (const u of desk.units) if (u.approved) out[keyOf(u)] = clean(u.text);
  return out;
}

/** What the editor did to the sentences of the kept document ``id`` (the desk's answer
 * came with it), for writing the document again: edited and approved sentences. */
export function reviews(id) {
  const kept = desk.result && desk.result.document;
  if (!kept || kept.id !== id) return [];
  return desk.units.filter((u) => u.edited || u.approved).map((u) => ({
    paragraph: u.para,
    index: u.segs[0].index,
    translation: clean(u.text),
    review: u.approved ? "approved" : "edited",
  }));
}

/** The draft keys of every sentence on the desk (approved or not). */
export function keys() {
  return desk.units.map(keyOf);
}

export function text() {
  return desk.result ? currentText(desk.result, desk.units) : "";
}

export function documentJson() {
  return desk.result ? currentDocument(desk.result, desk.units) : null;
}

// -- rendering ---------------------------------------------------------------------

function originClass(origin) {
  return `origin-${origin.replace(/[^a-z]+/g, "-")}`; // "model+glossary" too
}

/** A badge says the origin, or, where the LLM's guard stepped in, what it did. */
function badgeText(origin) {
  if (origin.startsWith("llm→model")) return "NMT fallback";
  if (origin.startsWith("llm-edit")) return "LLM edit";
  return origin.includes("+retry") ? "LLM, asked again" : origin;
}

function issueIds(unit) {
  return unit.merged.map((_, i) => `issue-${unit.key}-${i}`);
}

/** The source sentences of a unit, each its own focusable span, issues underlined. */
function renderSource(unit) {
  const ids = issueIds(unit);
  const nodes = [];
  let offset = 0;
  unit.segs.forEach((seg, k) => {
    const spans = [];
    unit.merged.forEach((m, i) => {
      const where = locate(unit.source, m.issue.source_span, m.issue.source_text);
      if (!where) return;
      const start = Math.max(where[0] - offset, 0);
      const end = Math.min(where[1] - offset, seg.source.length);
      if (end > start) spans.push([start, end, m.issue, ids[i]]);
    });
    if (k) nodes.push(" ");
    nodes.push(el("span", {
      class: "seg", tabindex: 0, lang: desk.result.source,
      title: `sentence ${unit.para + 1}.${seg.index + 1}`,
      dataset: { key: `${unit.para}-${seg.index}`, unit: unit.key },
    }, ...markedText(seg.source, spans)));
    offset += seg.source.length + 1;
  });
  unit.sourceCell.replaceChildren(...nodes);
}

/** The target sentence: its text with issues underlined (not while it is being edited:
 * no mark under the caret), its origin and its state. */
function renderTarget(unit) {
  const ids = issueIds(unit);
  const node = unit.target;
  const editing = desk.editing === unit;
  if (!editing) {
    const spans = [];
    unit.merged.forEach((m, i) => {
      const where = locate(unit.text, m.issue.target_span, m.issue.target_text);
      if (where) spans.push([where[0], where[1], m.issue, ids[i]]);
    });
    node.replaceChildren(...markedText(unit.text, spans));
  }
  node.className = `seg target-text ${originClass(unit.origin)}` +
    `${unit.edited ? " edited" : ""}${unit.approved ? " approved" : ""}` +
    `${countIssues(unit.merged).errors ? " has-error" : ""}${editing ? " editing" : ""}`;
  const byEditor = unit.match && unit.match.origin === "editor" && !unit.edited;
  const who = byEditor ? ` (approved by ${unit.match.author || "an editor"})` : "";
  const score = typeof unit.score === "number" ? `, score ${unit.score.toFixed(2)}` : "";
  const by = writer(unit.origin, desk.result.model.name, editorOf(desk.result.model));
  node.dataset.writer = by;
  node.title = unit.edited ? "edited: not yet approved"
    : `written by ${by} (origin: ${unit.origin})${who}${score}`;
  const notes = [...ids, unit.suggestions.length ? `sugg-${unit.key}` : null].filter(Boolean);
  if (notes.length) node.setAttribute("aria-describedby", notes.join(" "));
  else node.removeAttribute("aria-describedby");
  const fromElsewhere = unit.origin !== "model" && !unit.edited;
  const look = needsALook(unit) ? el("span", {
    class: "badge look", title: `needs a look: ${Math.round(unit.risk * 100)}% likely to need fixing`,
  }, "look") : null;
  unit.badges.replaceChildren(...[
    look,
    fromElsewhere ? el("span", { class: `badge ${originClass(unit.origin)}` }, badgeText(unit.origin)) : null,
    byEditor ? el("span", { class: "badge origin-editor" }, "editor") : null,
    unit.edited ? el("span", { class: "badge edited" }, "edited") : null,
    unit.approved ? el("span", { class: "badge approved" }, "approved") : null,
  ].filter(Boolean));
}

/** Everything said about a unit, after a translation or a check. */
function renderUnit(unit) {
  unit.merged = mergeIssues(clean(unit.text) ? unit.issues : [EMPTY]);
  const parts = [];
  if (unit.merged.length) parts.push(issueList(unit.merged, `issue-${unit.key}`));
  if (unit.checkError) parts.push(el("p", { class: "check-error" }, unit.checkError));
  if (unit.suggestions.length) {
    const list = suggestionList(unit.suggestions, desk.result.source, desk.result.target,
      (i) => accept(unit, i));
    list.id = `sugg-${unit.key}`;
    parts.push(list);
  }
  unit.notes.replaceChildren(...parts);
  renderSource(unit);
  renderTarget(unit);
  renderCounts();
}

function renderRow(unit) {
  const result = desk.result;
  unit.target = el("span", {
    class: "seg target-text", tabindex: 0, role: "textbox", "aria-readonly": "true",
    "aria-multiline": "false", "aria-label": `Translation of sentence ${label(unit)}`,
    lang: result.target, dataset: { key: unit.key, unit: unit.key },
  });
  unit.badges = el("span", { class: "badges" });
  const button = el("button", {
    type: "button", class: "approve-one", "aria-keyshortcuts": "Control+Enter",
    "aria-label": `Approve sentence ${label(unit)}`,
  }, "Approve");
  button.addEventListener("click", () => approve([unit], `sentence ${label(unit)}`));
  unit.notes = el("div", { class: "notes" });
  unit.merged = [];
  unit.sourceCell = el("div", { class: "cell source", dir: dirOf(result.source), lang: result.source });
  unit.row = el("div", { class: "row", dataset: { unit: unit.key } },
    unit.sourceCell,
    el("div", { class: "cell target", dir: dirOf(result.target), lang: result.target },
      unit.target, unit.badges, button, unit.notes));
  return unit.row;
}

function paragraphBlock(para, units) {
  const head = `para-${para.index}`;
  const button = el("button", { type: "button", class: "approve-para" },
    `Approve paragraph ${para.index + 1}`);
  button.addEventListener("click", () => approve(units, `paragraph ${para.index + 1}`));
  return el("section", { class: "pair", "aria-labelledby": head, dataset: { paragraph: para.index } },
    el("div", { class: "para-head" },
      el("h3", { id: head }, `Paragraph ${para.index + 1}`),
      el("span", { class: "para-count", id: `${head}-count` }),
      button),
    ...units.map(renderRow));
}

function renderCounts() {
  for (const para of desk.result.paragraphs) {
    const merged = desk.units.filter((u) => u.para === para.index).flatMap((u) => u.merged);
    const node = $(`para-${para.index}-count`);
    if (node) node.textContent = countText(countIssues(merged));
  }
  const all = countIssues(desk.units.flatMap((u) => u.merged));
  const origins = {};
  for (const u of desk.units) {
    const by = writer(u.origin, desk.result.model.name, editorOf(desk.result.model));
    origins[by] = (origins[by] || 0) + u.segs.length;
  }
  const originText = Object.entries(origins).map(([o, n]) => `${n} from ${o}`).join(", ");
  const edited = desk.units.filter((u) => u.edited && !u.approved).length;
  const approved = desk.units.filter((u) => u.approved).length;
  const sentences = desk.units.reduce((n, u) => n + u.segs.length, 0);
  renderLookFirst();
  $("summary").textContent =
    `${desk.result.paragraphs.length} paragraphs, ${sentences} sentences (${originText}); ` +
    `${all.errors} errors, ${all.warnings} warnings; ${edited} edited, ${approved} approved. ` +
    `Model: ${desk.result.model.name}.`;
  updateApproveButtons();
}

function needsALook(unit) {
  return !unit.approved && typeof unit.risk === "number" && unit.risk >= LOOK_AT;
}

/** The sentences to read first, riskiest first; each entry jumps to its sentence. */
function renderLookFirst() {
  const risky = desk.units.filter(needsALook)
    .sort((a, b) => b.risk - a.risk || desk.units.indexOf(a) - desk.units.indexOf(b))
    .slice(0, LOOK_FIRST_MAX);
  $("look-first-list").replaceChildren(...risky.map((unit) => {
    const checks = [...new Set(unit.merged.map((m) => m.issue.check))].join(", ");
    const jump = el("button", {
      type: "button", class: "jump", dataset: { unit: unit.key },
      "aria-label": `Go to sentence ${label(unit)}`,
    }, `${label(unit)}`);
    jump.addEventListener("click", () => {
      unit.target.focus();
      unit.target.scrollIntoView({ block: "center" });
    });
    return el("li", {}, jump,
      el("span", { class: "risk" }, ` ${Math.round(unit.risk * 100)}%`),
      checks ? el("span", { class: "muted" }, ` ${checks}`) : null);
  }));
  $("look-first").hidden = !risky.length;
}

function updateApproveButtons() {
  const why = desk.writable
    ? null
    : desk.keys
      ? "The translation memory is read-only on this server"
      : "Approving needs an API key, or a server started with --open-memory";
  for (const button of document.querySelectorAll(".approve-one, .approve-para, #approve-all")) {
    button.disabled = !desk.writable;
    if (why) button.title = why;
    else button.removeAttribute("title");
  }
}

export function setWritable(writable, keys = false) {
  desk.writable = writable;
  desk.keys = keys;
  updateApproveButtons();
}

/** Show a /v1/translate answer, with the approvals and then the drafts kept for its
 * sentences applied (a draft is newer than an approval: it was made after it); returns
 * how many drafts came back. */
export function show(result, saved = {}, approved = {}) {
  desk.editing = null;
  desk.result = result;
  desk.units = unitsOf(result);
  desk.byKey = new Map(desk.units.map((u) => [u.key, u]));
  $("pairs").replaceChildren(...result.paragraphs.map((p) =>
    paragraphBlock(p, desk.units.filter((u) => u.para === p.index))));
  let restored = 0;
  for (const unit of desk.units) {
    const done = approved[keyOf(unit)];
    if (typeof done === "string" && clean(done)) {
      unit.text = done;
      unit.edited = clean(done) !== unit.original;
      unit.approved = true;
    }
    const draft = saved[keyOf(unit)];
    if (typeof draft === "string" && clean(draft) !== clean(unit.text)) {
      unit.text = draft;
      unit.edited = clean(draft) !== unit.original;
      unit.approved = false;
      restored += 1;
    }
    renderUnit(unit);
    if (unit.edited) recheck(unit);
  }
  return restored;
}

// -- editing -----------------------------------------------------------------------

function startEdit(unit) {
  if (desk.editing === unit) return;
  stopEdit();
  desk.editing = unit;
  const node = unit.target;
  node.textContent = unit.text; // plain text while editing
  node.setAttribute("contenteditable", "plaintext-only");
  node.setAttribute("aria-readonly", "false");
  node.classList.add("editing");
  node.focus();
  const range = document.createRange();
  range.selectNodeContents(node);
  range.collapse(false);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

function stopEdit() {
  const unit = desk.editing;
  if (!unit) return;
  desk.editing = null;
  unit.target.removeAttribute("contenteditable");
  unit.target.setAttribute("aria-readonly", "true");
  unit.text = clean(unit.text);
  renderTarget(unit);
}

function changed(unit, value) {
  unit.text = value;
  unit.edited = clean(value) !== unit.original;
  unit.approved = false;
  desk.onChange();
}

const scheduleCheck = debounce((unit) => recheck(unit), CHECK_DELAY_MS);

function onInput(event) {
  const unit = desk.editing;
  if (!unit || event.target !== unit.target) return;
  changed(unit, unit.target.textContent.replace(/[\r\n]+/g, " "));
  renderTarget(unit);
  scheduleCheck(unit);
}

/** The fidelity checks on the sentence as it now reads. */
async function recheck(unit) {
  const seq = ++unit.checkSeq;
  const translation = clean(unit.text);
  if (!translation) {
    unit.issues = [];
    unit.risk = 1; // an empty translation surely needs fixing
    unit.checkError = null;
    renderUnit(unit);
    return;
  }
  const body = {
    text: unit.source, translation, source: desk.result.source, target: desk.result.target,
  };
  if (desk.options.glossary()) body.glossary = desk.options.glossary();
  if (desk.options.apiKey()) body.api_key = desk.options.apiKey();
  try {
    const report = await api("/v1/check", body);
    if (seq !== unit.checkSeq) return; // the editor typed on: a newer check is coming
    unit.issues = report.issues;
    unit.risk = typeof report.needs_a_look === "number" ? report.needs_a_look : null;
    unit.checkError = null;
    unit.checked = translation;
  } catch (err) {
    if (seq !== unit.checkSeq) return;
    unit.checkError = `The checks could not run: ${err.message}`;
  }
  renderUnit(unit);
}

function accept(unit, i) {
  const suggestion = unit.suggestions[i];
  if (!suggestion) return;
  changed(unit, suggestion.target);
  if (desk.editing === unit) unit.target.textContent = unit.text;
  renderTarget(unit);
  desk.announce(`Suggestion ${i + 1} used in sentence ${label(unit)}. Ctrl+Enter approves it.`);
  recheck(unit);
}

// -- approving ---------------------------------------------------------------------

/** The open errors of a unit, in the editor's words. */
function errorsOf(unit) {
  return unit.merged.filter((m) => m.issue.severity === "error")
    .map((m) => m.issue.plain || m.issue.message);
}

const CANCEL = ["Cancel", null];

/** Which units to approve and whether over errors: asks once when any carries errors;
 * null when the editor cancels. */
async function decide(ready, what) {
  const flagged = ready.filter((u) => errorsOf(u).length);
  if (!flagged.length) return { units: ready, force: false };
  if (ready.length === 1) {
    const go = await ask(`Sentence ${label(ready[0])} has open errors. Approve it anyway?`,
      errorsOf(ready[0]), [["Approve anyway", "all"], CANCEL]);
    return go ? { units: ready, force: true } : null;
  }
  const clean = ready.filter((u) => !flagged.includes(u));
  const n = flagged.length;
  const choices = [];
  if (clean.length) choices.push([`Approve only the ${clean.length} clean`, "clean"]);
  choices.push([`Approve all ${ready.length}, errors too`, "all"], CANCEL);
  const go = await ask(
    `${n} of the ${ready.length} sentences in ${what} carry errors.`,
    flagged.map((u) => `${label(u)}: ${errorsOf(u).join("; ")}`), choices);
  if (go === "clean") return { units: clean, force: false };
  return go === "all" ? { units: ready, force: true } : null;
}

function pairsOf(units) {
  return units.map((u) => ({
    source: u.source,
    target: clean(u.text),
    source_lang: desk.result.source,
    target_lang: desk.result.target,
    context: desk.options.title(),
  }));
}

/** Write the pairs; a 409 (errors the server found that the page had not shown) asks once
 * more, naming them, before forcing. */
async function send(units, force, what) {
  const body = { pairs: pairsOf(units) };
  if (force) body.force = true;
  if (desk.options.apiKey()) body.api_key = desk.options.apiKey();
  try {
    await api("/v1/memory", body);
    return true;
  } catch (err) {
    if (err.status !== 409 || force) throw err;
    const issues = (err.data && Array.isArray(err.data.issues)) ? err.data.issues : [];
    const go = await ask(`The server found errors in ${what}. Approve anyway?`,
      issues.map((i) => String(i.message || i.check)), [["Approve anyway", "all"], CANCEL]);
    return go ? send(units, true, what) : false;
  }
}

async function approve(units, what) {
  if (!desk.writable) return false;
  if (desk.editing && units.includes(desk.editing)) stopEdit();
  const ready = units.filter((u) => clean(u.text));
  if (!ready.length) {
    desk.showError(`Nothing to approve in ${what}: its translation is empty.`);
    return false;
  }
  // The errors asked about are those of the text approved: a check still to come runs now.
  const stale = ready.filter((u) => u.edited && u.checked !== clean(u.text));
  await Promise.all(stale.map(recheck));
  const chosen = await decide(ready, what);
  if (!chosen) {
    desk.announce(`Nothing approved in ${what}.`);
    return false;
  }
  try {
    if (!(await send(chosen.units, chosen.force, what))) return false;
  } catch (err) {
    desk.showError(`Approval failed: ${err.message}`);
    return false;
  }
  desk.showError("");
  for (const u of chosen.units) {
    u.approved = true;
    renderTarget(u);
  }
  renderCounts();
  desk.onChange();
  const n = chosen.units.length;
  desk.announce(`Approved ${n} sentence${n === 1 ? "" : "s"} of ${what}` +
    `${chosen.force ? ", over their errors" : ""}: the memory gives ` +
    `${n === 1 ? "it" : "them"} from now on.`);
  return true;
}

export function approveAll() {
  return approve(desk.units, "the whole article");
}

// -- keyboard and pointer ----------------------------------------------------------

function unitOf(node) {
  const seg = node && node.closest && node.closest(".seg");
  return seg ? desk.byKey.get(seg.dataset.unit) : null;
}

function highlight(event, on) {
  const unit = unitOf(event.target);
  if (!unit) return;
  for (const node of $("pairs").querySelectorAll(`.seg[data-unit="${unit.key}"]`)) {
    node.classList.toggle("active", on);
  }
}

function move(unit, step, onTarget) {
  const next = desk.units[desk.units.indexOf(unit) + step];
  if (!next) return;
  const node = onTarget ? next.target : next.sourceCell.querySelector(".seg");
  node.focus();
  node.scrollIntoView({ block: "nearest" });
}

function onKey(event) {
  const unit = unitOf(event.target);
  if (!unit) return;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    approve([unit], `sentence ${label(unit)}`).then((done) => {
      if (done) move(unit, 1, true);
    });
    return;
  }
  const digit = /^Digit([1-3])$/.exec(event.code);
  if (event.altKey && digit) {
    event.preventDefault();
    accept(unit, Number(digit[1]) - 1);
    return;
  }
  if (desk.editing === unit) {
    if (event.key === "Enter" || event.key === "Escape") {
      event.preventDefault(); // one sentence, one line
      stopEdit();
    }
    return;
  }
  if (event.key === "Enter") {
    event.preventDefault();
    startEdit(unit);
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    move(unit, event.key === "ArrowDown" ? 1 : -1, event.target === unit.target);
  }
}

export function attach(container) {
  container.addEventListener("mouseover", (e) => highlight(e, true));
  container.addEventListener("mouseout", (e) => highlight(e, false));
  container.addEventListener("focusin", (e) => highlight(e, true));
  container.addEventListener("focusout", (e) => {
    highlight(e, false);
    const unit = desk.editing;
    if (unit && e.target === unit.target) stopEdit();
  });
  container.addEventListener("keydown", onKey);
  container.addEventListener("input", onInput);
  container.addEventListener("click", (e) => {
    const unit = unitOf(e.target);
    if (unit && e.target.closest(".target-text")) startEdit(unit);
  });
}
