// Translate a document: upload it to /v1/translate, show its report with the page's own
// view (app.js listens for "tarjama:report"), and offer the translated file for download.
// Everything from the server is inserted as text or as a Blob, never parsed as HTML.

import * as desk from "./desk.js";
import { api, url } from "./dom.js";

const $ = (id) => document.getElementById(id);

let objectUrl = null;
/** The translated document offered: its file as first translated, and the id the server
 * keeps its source under (to write it again with the editor's changes). */
let current = null;

function say(text) {
  $("document-status").textContent = text;
}

function fail(message) {
  const box = $("document-error");
  box.textContent = message;
  box.hidden = !message;
}

function chosen(id) {
  const node = $(id);
  return node ? node.value : "";
}

function blobOf(file) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: file.media_type });
}

function offer(file, kept) {
  current = { file, id: kept ? kept.id : null };
  const link = $("download-document");
  link.href = "#";
  link.textContent = `Download ${file.name}`;
  link.hidden = false;
}

function save(file) {
  if (objectUrl) URL.revokeObjectURL(objectUrl);
  objectUrl = URL.createObjectURL(blobOf(file));
  const link = document.createElement("a");
  link.href = objectUrl;
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
}

/** Download always gives the current text: the editor's edits and approvals are written
 * into the document by the server (POST /v1/documents/{id}/render). */
async function download(event) {
  event.preventDefault();
  if (!current) return;
  fail("");
  let file = current.file;
  const segments = current.id ? desk.reviews(current.id) : [];
  if (segments.length) {
    const body = { segments };
    if ($("key-label") && !$("key-label").hidden) body.api_key = chosen("api-key");
    try {
      const path = `/v1/documents/${encodeURIComponent(current.id)}/render`;
      file = (await api(path, body)).file;
    } catch (err) {
      fail(`The edited document could not be written: ${err.message}`);
      return;
    }
    say(`${file.name} holds your ${segments.length} edited or approved sentence` +
      `${segments.length === 1 ? "" : "s"}.`);
  }
  save(file);
}

async function translateDocument() {
  const file = $("document-file").files[0];
  fail("");
  if (!file) {
    fail("Choose a document first.");
    return;
  }
  const form = new FormData();
  form.append("file", file, file.name);
  for (const [field, id] of [["source", "source"], ["target", "target"], ["model", "model"],
    ["glossary", "glossary"]]) {
    if (chosen(id)) form.append(field, chosen(id));
  }
  if ($("memory") && !$("memory").checked) form.append("memory", "false");
  if ($("key-label") && !$("key-label").hidden) form.append("api_key", chosen("api-key"));
  $("translate-document").disabled = true;
  $("download-document").hidden = true;
  say(`Translating ${file.name}…`);
  const started = performance.now();
  try {
    let response;
    try {
      response = await fetch(url("/v1/translate"), { method: "POST", body: form });
    } catch (err) {
      throw new Error("Cannot reach the tarjama server. Is it still running?");
    }
    const data = await response.json().catch(() => null);
    if (!response.ok || !data) {
      const message = data && typeof data.error === "string" ? data.error : response.statusText;
      throw new Error(`${message} (HTTP ${response.status})`);
    }
    offer(data.file, data.document);
    document.dispatchEvent(new CustomEvent("tarjama:report", { detail: data }));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    say(`Translated ${file.name} in ${seconds} s; its report is below.`);
  } catch (err) {
    say("");
    fail(`Translation failed: ${err.message}`);
  } finally {
    $("translate-document").disabled = false;
  }
}

$("translate-document").addEventListener("click", translateDocument);
$("download-document").addEventListener("click", download);
// After a reload, the session's document is offered again, edits and approvals included.
document.addEventListener("tarjama:document", (e) => offer(e.detail.file, e.detail.document));
