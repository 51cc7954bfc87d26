// The units an editor works on, from a /v1/translate answer, and the document they make.
// A memory match that covers several source sentences (a whole paragraph, an archive's
// 2-1 link) is one unit: one row, one target. Pure functions, no page.

/** The units of a /v1/translate answer, in order. */
export function unitsOf(result) {
  const units = [];
  for (const para of result.paragraphs) {
    for (const seg of para.segments) {
      const last = units[units.length - 1];
      const covered = seg.covered_by !== null && seg.covered_by !== undefined;
      if (covered && last && last.para === para.index && last.segs[0].index === seg.covered_by) {
        last.segs.push(seg);
        last.source = `${last.source} ${seg.source}`;
        continue;
      }
      units.push({
        key: `${para.index}-${seg.index}`,
        para: para.index,
        segs: [seg],
        source: seg.source,
        original: seg.translation,
        text: seg.translation,
        origin: seg.origin || "model",
        score: seg.score,
        // The chance that it needs fixing (the server's "needs_a_look"; null if unchecked).
        risk: typeof seg.needs_a_look === "number" ? seg.needs_a_look : null,
        match: seg.match || null,
        issues: seg.issues || [],
        suggestions: seg.suggestions || [],
        edited: false,
        approved: false,
        checkSeq: 0,
      });
    }
  }
  return units;
}

/** Who wrote a sentence, in words, from its origin, the model's name and, with
 * --llm-post-edit, the editing LLM's: the model (an LLM or an NMT model), the pair's NMT
 * model when the LLM's answer failed its checks twice ("llm→model"), the LLM's edit of
 * the model's draft that passed the checks ("llm-edit"), the LLM asked a second time
 * ("+retry"), the memory, the glossary. */
export function writer(origin, model, editor) {
  const [first, ...after] = (origin || "model").split("+");
  const who = first === "model" ? model
    : first === "llm→model" ? `the NMT model (${model}'s answer failed the checks)`
    : first === "llm-edit" ? `${editor || "the LLM"}, editing ${model}'s draft`
    : first;
  const how = after.map((step) => (step === "retry" ? "asked again" : `${step} terms`));
  return [who, ...how].join(", ");
}

/** The LLM that edited the model's drafts (--llm-post-edit), by the name the model's
 * signature gives it ("NAME:MODEL_ID"); "" when none did. */
export function editorOf(model) {
  const edit = model && model.signature ? model.signature.post_edit : "";
  return typeof edit === "string" ? edit.split(":")[0] : "";
}

/** "2.1", or "2.1–2" for a unit covering two sentences. */
export function label(unit) {
  const first = unit.segs[0].index + 1;
  const last = unit.segs[unit.segs.length - 1].index + 1;
  return first === last ? `${unit.para + 1}.${first}` : `${unit.para + 1}.${first}–${last}`;
}

export function clean(text) {
  return text.replace(/\s+/g, " ").trim();
}

/** The document's text with the editor's changes, in the layout of the server's text. */
export function currentText(result, units) {
  let text = result.text;
  let at = 0;
  for (const para of result.paragraphs) {
    const now = units.filter((u) => u.para === para.index).map((u) => clean(u.text))
      .filter(Boolean).join(" ");
    const found = para.translation ? text.indexOf(para.translation, at) : -1;
    if (found < 0) continue;
    text = text.slice(0, found) + now + text.slice(found + para.translation.length);
    at = found + now.length;
  }
  return text;
}

/** The /v1/translate answer with the edits in: an edited segment's origin is "editor". */
export function currentDocument(result, units) {
  const doc = structuredClone(result);
  for (const unit of units.filter((u) => u.edited)) {
    const seg = doc.paragraphs[unit.para].segments.find((s) => s.index === unit.segs[0].index);
    Object.assign(seg, {
      translation: clean(unit.text), origin: "editor", score: null, issues: unit.issues,
      needs_a_look: unit.risk,
    });
  }
  for (const para of doc.paragraphs) {
    para.translation = para.segments.map((s) => s.translation).filter(Boolean).join(" ");
  }
  doc.text = currentText(result, units);
  return doc;
}
