// What every part of the page shares: finding and building elements, and the server.
// Everything that comes from the user, the model or the memory is inserted as text
// (text nodes, textContent), never parsed as HTML.

export const $ = (id) => document.getElementById(id);

const RTL = new Set(["ar", "fa", "he", "ur"]);

export function dirOf(code) {
  return RTL.has(code) ? "rtl" : "ltr";
}

/** Build an element; string children become text nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** A server path ("/v1/...") relative to the page, so that the page works under a
 * --url-prefix too. */
export function url(path) {
  return new URL(path.slice(1), document.baseURI);
}

/** Call the server: GET without a body, POST (or ``method``) with a JSON one. Errors
 * carry its message, its status and its answer. */
export async function api(path, body, method) {
  let response;
  const verb = method || (body === undefined ? "GET" : "POST");
  try {
    response = await fetch(url(path), body === undefined ? { method: verb } : {
      method: verb,
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
    const error = new Error(`${message} (HTTP ${response.status})`);
    error.status = response.status;
    error.data = data; // a 409's issues, for instance
    throw error;
  }
  return data;
}

/** Ask in a modal dialog; resolves to the chosen choice's value, or null when the dialog
 * is dismissed. ``choices`` are [label, value] pairs; the last (the safe one) has the
 * focus. */
export function ask(message, details, choices) {
  return new Promise((resolve) => {
    let answer = null;
    const buttons = choices.map(([text, value]) => {
      const button = el("button", { type: "button" }, text);
      button.addEventListener("click", () => {
        answer = value;
        dialog.close();
      });
      return button;
    });
    const dialog = el("dialog", { class: "ask", "aria-labelledby": "ask-text" },
      el("p", { id: "ask-text" }, message),
      details.length ? el("ul", {}, ...details.map((d) => el("li", {}, d))) : null,
      el("div", { class: "ask-buttons" }, ...buttons));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    buttons[buttons.length - 1].focus();
  });
}

/** A function that runs ``fn`` once calls have stopped for ``ms`` milliseconds. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
