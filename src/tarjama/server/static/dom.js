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

/** Call the server: GET without a body, POST with a JSON one. Errors carry its message. */
export async function api(path, body) {
  let response;
  try {
    response = await fetch(url(path), body === undefined ? {} : {
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
    const error = new Error(`${message} (HTTP ${response.status})`);
    error.status = response.status;
    error.data = data; // a 409's issues, for instance
    throw error;
  }
  return data;
}

/** A function that runs ``fn`` once calls have stopped for ``ms`` milliseconds. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
