// What the desk says about a sentence: its issues in plain words (the technical figure in a
// tooltip), underlined where they point, and the memory's suggestions with the words that
// differ marked. All of it built from text nodes.

import { el } from "./dom.js";

/** Issues with the same severity and wording said once, with how many times. */
export function mergeIssues(issues) {
  const merged = new Map();
  for (const issue of issues) {
    const words = issue.plain || issue.message;
    const key = `${issue.severity}\u0000${words}`;
    const found = merged.get(key);
    if (found) {
      found.count += 1;
      if (!found.details.includes(issue.message)) found.details.push(issue.message);
    } else {
      merged.set(key, { issue, words, count: 1, details: [issue.message] });
    }
  }
  return [...merged.values()].sort((a, b) =>
    (a.issue.severity === "error" ? 0 : 1) - (b.issue.severity === "error" ? 0 : 1));
}

export function countIssues(merged) {
  const errors = merged.filter((m) => m.issue.severity === "error").length;
  return { errors, warnings: merged.length - errors };
}

export function countText({ errors, warnings }) {
  if (!errors && !warnings) return "no issues";
  const parts = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return parts.join(", ");
}

/** The list of a sentence's issues; item ids are ``${prefix}-${i}``. */
export function issueList(merged, prefix) {
  const list = el("ul", { class: "issues", lang: "en", dir: "ltr" });
  merged.forEach((m, i) => {
    const details = `${m.issue.check}: ${m.details.join("; ")}`;
    list.append(el("li", { id: `${prefix}-${i}`, class: m.issue.severity, title: details },
      el("span", { class: "severity" }, m.issue.severity === "error" ? "Error" : "Check"),
      m.words,
      m.count > 1 ? el("span", { class: "times" }, ` (×${m.count})`) : null));
  });
  return list;
}

/** Where an issue's text sits in a text: its own span when it matches, else a search. */
export function locate(text, span, needle) {
  if (!needle) return null;
  if (span && text.slice(span[0], span[1]) === needle) return [span[0], span[1]];
  const at = text.indexOf(needle);
  return at >= 0 ? [at, at + needle.length] : null;
}

/** ``text`` with the spans [start, end, issue, id] underlined. */
export function markedText(text, spans) {
  const out = [];
  let at = 0;
  for (const [start, end, issue, id] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start) continue; // overlapping or empty: the list still says it
    out.push(text.slice(at, start));
    out.push(el("mark", {
      class: `issue ${issue.severity}`,
      title: `${issue.plain || issue.message} (${issue.check}: ${issue.message})`,
      "aria-describedby": id,
    }, text.slice(start, end)));
    at = end;
  }
  out.push(text.slice(at));
  return out.filter((part) => part !== "");
}

function originText(s) {
  if (s.origin === "editor") return `approved by ${s.author || "an editor"}`;
  if (s.origin === "suggestion") return `suggested by ${s.author || "a reader"}`;
  // An archive's origin is FILE#ARTICLE: its file's name says enough (the tooltip has all).
  return `from ${(s.origin || "the memory").replace(/^.*[\\/]/, "")}`;
}

/** The memory's source, its words that differ from the sentence marked. */
function memorySource(s) {
  if (!Array.isArray(s.diff) || !s.diff.length) return [s.source];
  const parts = [];
  for (const d of s.diff) {
    if (parts.length) parts.push(" ");
    if (d.op === "equal") parts.push(d.memory);
    else if (d.memory) {
      parts.push(el("mark", { class: "diff", title: d.query ? `here: ${d.query}` : "not here" },
        d.memory));
    } else {
      parts.push(el("mark", { class: "diff gap", title: `the memory lacks: ${d.query}` }, "‸"));
    }
  }
  return parts;
}

/** Up to three suggestions, each accepted by its button (or Alt+N on the sentence). */
export function suggestionList(suggestions, sourceLang, targetLang, onAccept) {
  const list = el("ol", { class: "suggestions", "aria-label": "Memory suggestions" });
  suggestions.slice(0, 3).forEach((s, i) => {
    const score = `${Math.round(s.score * 100)}%`;
    const use = el("button", {
      type: "button",
      class: "use",
      "aria-keyshortcuts": `Alt+${i + 1}`,
      "aria-label": `Use suggestion ${i + 1} (${score}, ${originText(s)})`,
    }, "Use ", el("kbd", {}, `Alt+${i + 1}`));
    use.addEventListener("click", () => onAccept(i));
    list.append(el("li", { class: "suggestion" },
      use,
      el("span", { class: "score", title: "similarity to this sentence" }, score),
      el("span", { class: "memory-source", lang: sourceLang, dir: "auto" }, ...memorySource(s)),
      el("span", { class: "memory-target", lang: targetLang, dir: "auto" }, s.target),
      el("span", { class: "memory-origin", title: s.origin || "" }, originText(s))));
  });
  return list;
}
