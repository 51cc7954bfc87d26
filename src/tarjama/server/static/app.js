// tarjama's review page. A plain ES module, no build step.
// Everything that comes from the user or the model is inserted with text nodes
// (textContent / createTextNode), never parsed as HTML.

const $ = (id) => document.getElementById(id);

const RTL = new Set(["ar", "fa", "he", "ur"]);
const NAMES = { ar: "Arabic", en: "English" };

const state = {
  languages: [], // [{code, name, targets}]
  result: null, // the last /v1/translate response
  busy: false,
};

/** Build an element; string children become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function dirOf(code) {
  return RTL.has(code) ? "rtl" : "ltr";
}

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

// -- talking to the server ---------------------------------------------------------

async function api(path, body) {
  let response;
  try {
    // Relative to the page, so that the page works under a --url-prefix too.
    response = await fetch(new URL(path.slice(1), document.baseURI), body === undefined ? {} : {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new Error("Cannot reach the tarjama server. Is it still running?");
  }
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  if (!response.ok) {
    const message = data && typeof data.error === "string" ? data.error : response.statusText;
    throw new Error(`${message} (HTTP ${response.status})`);
  }
  return data;
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
}

function updateCount() {
  const n = $("source-text").value.length;
  const limit = state.charLimit > 0 ? ` / ${state.charLimit.toLocaleString("en")}` : "";
  $("count").textContent = `${n.toLocaleString("en")}${limit} characters`;
}

async function loadSettings() {
  try {
    const [languages, settings, models, glossaries] = await Promise.all([
      api("/languages"),
      api("/frontend/settings"),
      api("/v1/models"),
      api("/v1/glossaries"),
    ]);
    state.languages = languages;
    state.charLimit = settings.charLimit;
    fillSelect($("source"), languages.map((l) => l.code), settings.language.source.code);
    updateTargets(settings.language.target.code);
    $("key-label").hidden = !settings.keyRequired;
    for (const model of models) {
      $("model").append(el("option", { value: model.name }, model.name));
    }
    for (const name of glossaries.glossaries) {
      $("glossary").append(el("option", { value: name }, name));
    }
    $("glossary-default").textContent = glossaries.default ? "the default" : "none set";
    updateCount();
    setStatus("Ready. Paste an article, one paragraph per line, or open a .txt file.");
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
    setStatus(`Loaded ${file.name}.`);
  } catch (err) {
    showError(`Could not read ${file.name}: ${err.message}`);
  }
}

// -- rendering the result ----------------------------------------------------------

/** Text with some spans wrapped in <mark>; spans are [start, end, issue, id]. */
function markedText(text, spans) {
  const out = [];
  let at = 0;
  for (const [start, end, issue, id] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start) continue; // overlapping or empty: the list still shows it
    out.push(text.slice(at, start));
    out.push(el("mark", {
      class: `issue ${issue.severity}`,
      title: `${issue.check}: ${issue.message}`,
      "aria-describedby": id,
    }, text.slice(start, end)));
    at = end;
  }
  out.push(text.slice(at));
  return out.filter((part) => part !== "");
}

/** Where an issue's text sits in a sentence: its own span when it matches, else a search. */
function locate(text, span, needle) {
  if (!needle) return null;
  if (span && text.slice(span[0], span[1]) === needle) return [span[0], span[1]];
  const at = text.indexOf(needle);
  return at >= 0 ? [at, at + needle.length] : null;
}

function segmentNode(seg, key, side, lang, issueIds) {
  const text = side === "source" ? seg.source : seg.translation;
  const spans = [];
  for (const [i, issue] of seg.issues.entries()) {
    const where = side === "source"
      ? locate(text, issue.source_span, issue.source_text)
      : locate(text, issue.target_span, issue.target_text);
    if (where) spans.push([where[0], where[1], issue, issueIds[i]]);
  }
  const origin = seg.origin || "model";
  const originClass = `origin-${origin.replace(/[^a-z]+/g, "-")}`; // "model+glossary" too
  const errors = seg.issues.filter((i) => i.severity === "error").length;
  const label = side === "target"
    ? `origin: ${origin}${seg.score !== null && seg.score !== undefined ? `, score ${seg.score.toFixed(2)}` : ""}`
    : `sentence ${seg.index + 1}`;
  const node = el("span", {
    class: `seg ${originClass}${errors ? " has-error" : ""}`,
    tabindex: 0,
    lang,
    title: label,
    dataset: { key },
    "aria-describedby": seg.issues.length ? issueIds.join(" ") : undefined,
  }, ...markedText(text, spans));
  if (side === "target" && origin !== "model") {
    node.append(el("span", { class: `badge ${originClass}`, "aria-label": `from ${origin}` }, origin));
  }
  return node;
}

function paragraphRow(para, result) {
  const source = el("div", { class: "para source", dir: dirOf(result.source), lang: result.source });
  const target = el("div", { class: "para target", dir: dirOf(result.target), lang: result.target });
  source.append(el("span", { class: "para-number", "aria-hidden": "true" }, String(para.index + 1)));
  const notes = el("ul", { class: "issues", dir: "ltr", lang: "en" });
  para.segments.forEach((seg, s) => {
    const key = `${para.index}-${s}`;
    const ids = seg.issues.map((_, i) => `issue-${key}-${i}`);
    if (s > 0) {
      source.append(" ");
      target.append(" ");
    }
    source.append(segmentNode(seg, key, "source", result.source, ids));
    target.append(segmentNode(seg, key, "target", result.target, ids));
    seg.issues.forEach((issue, i) => {
      notes.append(el("li", { id: ids[i], class: issue.severity },
        el("span", { class: "check" }, issue.check), issue.message));
    });
  });
  if (notes.childElementCount) target.append(notes);
  return el("div", { class: "pair", dataset: { paragraph: para.index } }, source, target);
}

function render(result) {
  state.result = result;
  const segments = result.paragraphs.flatMap((p) => p.segments);
  const issues = segments.flatMap((s) => s.issues);
  const errors = issues.filter((i) => i.severity === "error").length;
  const origins = {};
  for (const s of segments) origins[s.origin] = (origins[s.origin] || 0) + 1;
  const originText = Object.entries(origins).map(([o, n]) => `${n} from ${o}`).join(", ");
  $("summary").textContent =
    `${result.paragraphs.length} paragraphs, ${segments.length} sentences (${originText}); ` +
    `${errors} errors, ${issues.length - errors} warnings. Model: ${result.model.name}.`;
  $("head-source").textContent = nameOf(result.source);
  $("head-target").textContent = nameOf(result.target);
  $("pairs").replaceChildren(...result.paragraphs.map((p) => paragraphRow(p, result)));
  $("result").hidden = false;
}

// -- highlighting counterparts -----------------------------------------------------

function highlight(event, on) {
  const seg = event.target.closest && event.target.closest(".seg");
  if (!seg) return;
  for (const node of $("pairs").querySelectorAll(`.seg[data-key="${seg.dataset.key}"]`)) {
    node.classList.toggle("active", on);
  }
}

function jumpToCounterpart(event) {
  if (event.key !== "Enter") return;
  const seg = event.target.closest && event.target.closest(".seg");
  if (!seg) return;
  const twins = [...$("pairs").querySelectorAll(`.seg[data-key="${seg.dataset.key}"]`)];
  const other = twins.find((node) => node !== seg);
  if (other) other.focus();
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
  const paragraphs = text.split("\n").filter((l) => l.trim()).length;
  setBusy(true, `Translating ${paragraphs} paragraph${paragraphs === 1 ? "" : "s"}…`);
  const body = { text, source: $("source").value, target: $("target").value };
  if ($("model").value) body.model = $("model").value;
  if ($("glossary").value) body.glossary = $("glossary").value;
  if (!$("memory").checked) body.memory = false; // else: used when the server has one
  if (!$("key-label").hidden) body.api_key = $("api-key").value;
  const started = performance.now();
  try {
    const result = await api("/v1/translate", body);
    render(result);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setBusy(false);
    setStatus(`Translated in ${seconds} s. Hover or focus a sentence to see its counterpart.`);
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
    await navigator.clipboard.writeText(state.result.text);
    setStatus("Translation copied to the clipboard.");
  } catch (err) {
    showError("The browser refused the clipboard; use Download .txt instead.");
  }
}

function main() {
  $("translate-form").addEventListener("submit", translate);
  $("source").addEventListener("change", () => updateTargets());
  $("swap").addEventListener("click", () => {
    const to = $("target").value;
    const from = $("source").value;
    if (!state.languages.some((l) => l.code === to && l.targets.includes(from))) {
      showError(`No model translates ${nameOf(to)} to ${nameOf(from)}.`);
      return;
    }
    $("source").value = to;
    updateTargets(from);
  });
  $("file").addEventListener("change", (e) => loadFile(e.target.files[0]));
  $("source-text").addEventListener("input", updateCount);
  $("source-text").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) translate(e);
  });
  const pairs = $("pairs");
  pairs.addEventListener("mouseover", (e) => highlight(e, true));
  pairs.addEventListener("mouseout", (e) => highlight(e, false));
  pairs.addEventListener("focusin", (e) => highlight(e, true));
  pairs.addEventListener("focusout", (e) => highlight(e, false));
  pairs.addEventListener("keydown", jumpToCounterpart);
  $("copy").addEventListener("click", copyTranslation);
  $("download-txt").addEventListener("click", () => {
    if (state.result) download("translation.txt", "text/plain;charset=utf-8", state.result.text);
  });
  $("download-json").addEventListener("click", () => {
    if (state.result) {
      download("translation.json", "application/json",
        JSON.stringify(state.result, null, 2) + "\n");
    }
  });
  loadSettings();
}

main();
