// Language sense: text pasted in the wrong direction (English in Arabic mode) gets an offer
// to swap, from the server's /detect. A swap is offered, and the swap button enabled, only
// when a model translates the other way.

import { $, api, debounce, el } from "./dom.js";

/** Whether some model translates ``from`` into ``to``. */
export function translates(languages, from, to) {
  return languages.some((l) => l.code === from && l.targets.includes(to));
}

/** Watch the text box; ``page`` gives the languages, the choice, names, a key, and a swap. */
export function watch(page) {
  const offer = $("sense");
  const hide = () => {
    offer.hidden = true;
    offer.replaceChildren();
  };
  const check = debounce(async () => {
    const text = $("source-text").value.trim();
    if (text.replace(/[^\p{L}]/gu, "").length < 12) return hide();
    const body = { q: text.slice(0, 2000) };
    if (page.apiKey()) body.api_key = page.apiKey();
    let found;
    try {
      [found] = await api("/detect", body);
    } catch (err) {
      return hide(); // detection is a courtesy: its failure says nothing about the text
    }
    const from = page.source();
    if (!found || found.language === from || found.confidence < 60) return hide();
    const lang = found.language;
    const to = translates(page.languages(), lang, from) ? from
      : (page.languages().find((l) => l.code === lang) || { targets: [] }).targets[0];
    const parts = [`This text looks ${page.name(lang)}, not ${page.name(from)}. `];
    if (to) {
      const button = el("button", { type: "button", id: "sense-swap" },
        `Translate from ${page.name(lang)} to ${page.name(to)}`);
      button.addEventListener("click", () => {
        page.choose(lang, to);
        hide();
        $("source-text").focus();
      });
      parts.push(button);
    } else {
      parts.push(`No model here translates from ${page.name(lang)}.`);
    }
    offer.replaceChildren(...parts);
    offer.hidden = false;
  }, 500);
  $("source-text").addEventListener("input", check);
  return { check, hide };
}
