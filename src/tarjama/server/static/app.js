// tarjama's page: the shell around the editor's desk. A plain ES module, no build step.
// Everything that comes from the user, the model or the memory is inserted with text
// nodes (textContent / createTextNode), never parsed as HTML.
//
// Parts: dom.js (elements, the server), desk.js (the editor: editing, checks, suggestions,
// approvals), notes.js (issues and suggestions), units.js (the document's units),
// drafts.js (the session kept in the browser), sense.js (the language offer), memory.js
// (the memory view: search, history, edit, remove, undo).

import { $, api, dirOf, el } from "./dom.js";
import * as desk from "./desk.js";
import { loadSession, saveSession } from "./drafts.js";
import * as memoryView from "./memory.js";
import { translates, watch } from "./sense.js";

const NAMES = { ar: "Arabic", en: "English" };

const state = {
  languages: [], // [{code, name, targets}]
  result: null, // the last /v1/translate response
  busy: false,
  drafts: {}, // drafts kept from the session, by language pair and sentence
  approved: {}, // approved sentences' texts, by the same keys: a reload shows them approved
};

function nameOf(code) {
  const found = state.languages.find((l) => l.code === code);
  return (found && found.name) || NAMES[code] || code;
}

// -- status and errors -------------------------------------------------------------

let timer = null;

function setStatus(text, busy = false) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("busy", busy);
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

function setBusy(busy, label = "") {
  state.busy = busy;
  $("translate").disabled = busy;
  $("result").setAttribute("aria-busy", busy ? "true" : "false");
  clearInterval(timer);
  if (!busy) return;
  const started = performance.now();
  const tick = () => {
    const seconds = Math.floor((performance.now() - started) / 1000);
    setStatus(`${label} ${seconds} s`, true);
  };
  tick();
  timer = setInterval(tick, 1000);
}

// -- controls ----------------------------------------------------------------------

function fillSelect(select, codes, chosen) {
  select.replaceChildren(...codes.map((code) => el("option", { value: code }, nameOf(code))));
  if (codes.includes(chosen)) select.value = chosen;
}

function updateTargets(preferred) {
  const source = $("source").value;
  const entry = state.languages.find((l) => l.code === source);
  fillSelect($("target"), entry ? entry.targets : [], preferred || $("target").value);
  const box = $("source-text");
  box.dir = dirOf(source);
  box.lang = source;
  updateSwap();
}

/** The swap button works only where a model translates the other way. */
function updateSwap() {
  const from = $("source").value;
  const to = $("target").value;
  const possible = translates(state.languages, to, from);
  const swap = $("swap");
  swap.disabled = !possible;
  swap.title = possible ? "Swap languages" : `No model translates ${nameOf(to)} to ${nameOf(from)}`;
}

function choose(source, target) {
  $("source").value = source;
  updateTargets(target);
  save();
}

function updateCount() {
  const n = $("source-text").value.length;
  const limit = state.charLimit > 0 ? ` / ${state.charLimit.toLocaleString("en")}` : "";
  $("count").textContent = `${n.toLocaleString("en")}${limit} characters`;
}

function apiKey() {
  return $("key-label").hidden ? null : $("api-key").value || null;
}

function articleTitle() {
  const typed = $("article-title").value.trim();
  if (typed) return typed;
  const first = $("source-text").value.split("\n").find((l) => l.trim()) || "";
  return first.trim().slice(0, 80);
}

// -- the session (drafts survive a reload) -----------------------------------------

function save() {
  if (state.result) {
    // The desk speaks for the sentences it shows: an approved one drops its draft.
    for (const key of desk.keys()) {
      delete state.drafts[key];
      delete state.approved[key];
    }
    Object.assign(state.drafts, desk.drafts());
    Object.assign(state.approved, desk.approvals());
  }
  const ok = saveSession({
    text: $("source-text").value,
    source: $("source").value,
    target: $("target").value,
    title: $("article-title").value,
    result: state.result,
    drafts: state.drafts,
    approved: state.approved,
  });
  if (!ok) setStatus("This browser does not keep drafts: approve your edits before leaving.");
}

function showResult(result) {
  state.result = result;
  $("head-source").textContent = nameOf(result.source);
  $("head-target").textContent = nameOf(result.target);
  const restored = desk.show(result, state.drafts, state.approved);
  $("result").hidden = false;
  return restored;
}

function restore() {
  const session = loadSession();
  if (!session) return false;
  $("source-text").value = session.text || "";
  $("article-title").value = session.title || "";
  if (session.source && state.languages.some((l) => l.code === session.source)) {
    $("source").value = session.source;
    updateTargets(session.target);
  }
  state.drafts = session.drafts || {};
  state.approved = session.approved || {};
  updateCount();
  if (session.result) {
    const restored = showResult(session.result);
    // A translated document's download comes back with it (files.js).
    if (session.result.file) {
      document.dispatchEvent(new CustomEvent("tarjama:document", { detail: session.result }));
    }
    setStatus(`Restored your last translation${restored ? ` and ${restored} unapproved edit${restored === 1 ? "" : "s"}` : ""}.`);
  }
  return true;
}

// -- loading -----------------------------------------------------------------------

async function loadSettings() {
  try {
    const [languages, settings, models, glossaries, memory] = await Promise.all([
      api("/languages"),
      api("/frontend/settings"),
      api("/v1/models"),
      api("/v1/glossaries"),
      api("/v1/memory"),
    ]);
    state.languages = languages;
    state.charLimit = settings.charLimit;
    fillSelect($("source"), languages.map((l) => l.code), settings.language.source.code);
    updateTargets(settings.language.target.code);
    // With keys on, the memory needs a key for reading and writing even where translating
    // goes without one.
    $("key-label").hidden = !(settings.keyRequired || memory.keys);
    for (const model of models) {
      $("model").append(el("option", { value: model.name }, model.name));
    }
    for (const name of glossaries.glossaries) {
      $("glossary").append(el("option", { value: name }, name));
    }
    $("glossary-default").textContent = glossaries.default ? "the default" : "none set";
    desk.setWritable(memory.writable, memory.keys);
    memoryView.setAccess(memory);
    updateCount();
    if (!restore()) {
      // An open memory is said at once: every approval on this page goes in without a key.
      const open = memory.open ? " Open memory: approvals here go into the memory without a key." : "";
      setStatus(`Ready. Paste an article, one paragraph per line, or open a .txt file.${open}`);
    }
    await memoryView.resume();
  } catch (err) {
    showError(`Could not load the server's settings: ${err.message}`);
  }
}

async function loadFile(file) {
  if (!file) return;
  showError("");
  try {
    $("source-text").value = await file.text();
    updateCount();
    save();
    setStatus(`Loaded ${file.name}.`);
  } catch (err) {
    showError(`Could not read ${file.name}: ${err.message}`);
  }
}

// -- actions -----------------------------------------------------------------------

async function translate(event) {
  if (event) event.preventDefault();
  if (state.busy) return;
  const text = $("source-text").value;
  showError("");
  if (!text.trim()) {
    showError("Paste some text or open a .txt file first.");
    $("source-text").focus();
    return;
  }
  if (state.result) save(); // keep the drafts of what is on the desk now
  const paragraphs = text.split("\n").filter((l) => l.trim()).length;
  setBusy(true, `Translating ${paragraphs} paragraph${paragraphs === 1 ? "" : "s"}…`);
  const body = { text, source: $("source").value, target: $("target").value };
  if ($("model").value) body.model = $("model").value;
  if ($("glossary").value) body.glossary = $("glossary").value;
  if (!$("memory").checked) body.memory = false; // else: used when the server has one
  if (apiKey() !== null) body.api_key = apiKey();
  const started = performance.now();
  try {
    const restored = showResult(await api("/v1/translate", body));
    save();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setBusy(false);
    setStatus(`Translated in ${seconds} s${restored ? `; ${restored} of your edits kept` : ""}. ` +
      "↑ ↓ move between sentences, Enter edits, Ctrl+Enter approves.");
  } catch (err) {
    setBusy(false);
    setStatus("");
    showError(`Translation failed: ${err.message}`);
  }
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function copyTranslation() {
  if (!state.result) return;
  try {
    await navigator.clipboard.writeText(desk.text());
    setStatus("Translation copied to the clipboard.");
  } catch (err) {
    showError("The browser refused the clipboard; use Download .txt instead.");
  }
}

function main() {
  desk.configure({
    options: { apiKey, glossary: () => $("glossary").value, title: articleTitle },
    onChange: save,
    announce: (text) => setStatus(text),
    showError,
  });
  desk.attach($("pairs"));
  memoryView.configure({
    apiKey,
    pair: () => ({ source: $("source").value, target: $("target").value }),
    name: nameOf,
  });
  watch({
    languages: () => state.languages,
    source: () => $("source").value,
    name: nameOf,
    apiKey,
    choose,
  });
  $("translate-form").addEventListener("submit", translate);
  $("source").addEventListener("change", () => {
    updateTargets();
    save();
  });
  $("target").addEventListener("change", updateSwap);
  $("swap").addEventListener("click", () => choose($("target").value, $("source").value));
  $("file").addEventListener("change", (e) => loadFile(e.target.files[0]));
  $("source-text").addEventListener("input", () => {
    updateCount();
    save();
  });
  $("article-title").addEventListener("input", save);
  $("source-text").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) translate(e);
  });
  $("approve-all").addEventListener("click", () => desk.approveAll());
  $("copy").addEventListener("click", copyTranslation);
  $("download-txt").addEventListener("click", () => {
    if (state.result) download("translation.txt", "text/plain;charset=utf-8", desk.text());
  });
  // A translated document's report (files.js) is shown like a text's.
  document.addEventListener("tarjama:report", (e) => showResult(e.detail));
  $("download-json").addEventListener("click", () => {
    if (state.result) {
      download("translation.json", "application/json",
        JSON.stringify(desk.documentJson(), null, 2) + "\n");
    }
  });
  loadSettings();
}

main();
