"""The app's link to the browser page: its address, and whether the kernel is still there.

Two things only JavaScript in the page can do, in one small widget (an ``anywidget``:
its code travels with the widget, so it works offline, in Voilà and in JupyterLab):

* **The address carries who you are.** After *Open / resume* the page's URL gets
  ``?framework=…&team=…&respondent=…`` (other parameters, such as an access token, are
  kept), so a reload or a bookmark reopens your own file. The full link is shown too,
  to copy to another browser. JupyterLab's own address is never touched.
* **A dead page says so.** The page pings the kernel every ``interval_ms``; when no
  answer has come for three intervals, a banner says the connection is lost, that
  answers saved until the last save time are safe, and how to reload — and every
  control of the app is disabled, so no answer is given that cannot be saved. If the
  kernel answers again (a busy kernel, a network hiccup), the page comes back to life.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs

import anywidget
import traitlets

#: Milliseconds between two pings; tests shorten it with this variable.
INTERVAL_ENV = "MLOPS_WORKBOOK_HEARTBEAT_MS"

_ESM = r"""
function render({ model, el }) {
  const root = () => el.closest(".mw-app") || document.body;
  // Only a Voilà page's address is the app's to change (its page config has Voilà's own keys).
  const configTag = document.getElementById("jupyter-config-data");
  const config = configTag ? JSON.parse(configTag.textContent || "{}") : {};
  const inVoila = "progressiveRendering" in config;
  const link = document.createElement("div");
  link.className = "mw-link";
  const banner = document.createElement("div");
  banner.className = "mw-lost";
  banner.setAttribute("role", "alert");
  banner.hidden = true;
  if (inVoila) banner.classList.add("mw-fixed");  // over the whole page; in JupyterLab, over the app only
  el.append(link, banner);

  function personalUrl() {
    const url = new URL(window.location.href);
    for (const [key, value] of Object.entries(model.get("query") || {})) {
      if (value) url.searchParams.set(key, value); else url.searchParams.delete(key);
    }
    return url;
  }
  function showLink() {
    const query = model.get("query") || {};
    link.replaceChildren();
    if (!inVoila || !query.respondent) { link.hidden = true; return; }
    const url = personalUrl();
    window.history.replaceState(window.history.state, "", url.toString());
    const label = document.createElement("span");
    label.textContent = "Your personal link (bookmark it; it reopens your own answers): ";
    const a = document.createElement("a");
    a.href = url.toString();
    a.textContent = url.toString();
    a.className = "mw-personal-link";
    link.append(label, a);
    link.hidden = false;
  }
  model.on("change:query", showLink);
  showLink();

  let lastPong = Date.now(), sent = 0, lost = false, disabled = [];
  function setLost(isLost) {
    if (isLost === lost) return;
    lost = isLost;
    const app = root();
    if (lost) {
      const saved = model.get("saved_at");
      banner.replaceChildren();
      const text = document.createElement("span");
      text.textContent =
        "Connection lost: the workbook is no longer running for this page, so new answers cannot be saved. " +
        (saved ? `Every answer saved until ${saved} is safe in your file. `
               : "Answers saved before are safe in your file. ") +
        "Reload the page to continue where you were.";
      const reload = document.createElement("button");
      reload.textContent = "Reload the page";
      reload.className = "mw-reload";
      reload.addEventListener("click", () => window.location.reload());
      banner.append(text, reload);
      disabled = [...app.querySelectorAll("button, input, textarea, select")].filter(
        (c) => !c.disabled && !banner.contains(c));
      disabled.forEach((c) => { c.disabled = true; });
      app.classList.add("mw-disconnected");
      banner.hidden = false;
    } else {
      disabled.forEach((c) => { c.disabled = false; });
      disabled = [];
      app.classList.remove("mw-disconnected");
      banner.hidden = true;
    }
  }
  model.on("msg:custom", (msg) => {
    if (msg && msg.type === "pong") { lastPong = Date.now(); setLost(false); }
  });
  const interval = Math.max(200, model.get("interval_ms"));
  const timer = setInterval(() => {
    try { model.send({ type: "ping", n: ++sent }); } catch (e) { setLost(true); }
    if (Date.now() - lastPong > 3 * interval + 1000) setLost(true);
  }, interval);
  return () => clearInterval(timer);
}
export default { render };
"""

_CSS = """
.mw-link { margin: 2px 0 4px 0; font-size: 0.9em; overflow-wrap: anywhere; }
.mw-lost { position: sticky; top: 0; left: 0; right: 0; z-index: 1000; background: #8b0000; color: #fff;
  padding: 10px 16px; font-size: 1.05em; box-shadow: 0 2px 6px rgba(0,0,0,.4); }
.mw-lost.mw-fixed { position: fixed; }
.mw-lost button { margin-left: 12px; background: #fff; color: #8b0000; border: 0; padding: 4px 10px;
  font-weight: bold; cursor: pointer; }
.mw-disconnected .jupyter-button, .mw-disconnected input, .mw-disconnected textarea { opacity: .55; }
"""


class PageBridge(anywidget.AnyWidget):
    """The page's address (model, team, respondent) and a heartbeat to the kernel."""

    _esm = _ESM
    _css = _CSS
    query = traitlets.Dict().tag(sync=True)
    saved_at = traitlets.Unicode("").tag(sync=True)
    interval_ms = traitlets.Int(5000).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("interval_ms", int(os.environ.get(INTERVAL_ENV, "5000")))
        super().__init__(**kwargs)
        self.on_msg(self._answer_ping)

    def _answer_ping(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            self.send({"type": "pong", "n": content.get("n")})

    def point_to(self, framework: str, team: str, respondent: str) -> None:
        """Put this identity in the page's address (``respondent=""`` removes it: the worked example)."""
        self.query = {"framework": framework, "team": team, "respondent": respondent}


def page_request() -> dict[str, str]:
    """The page's query parameters (``?team=…&respondent=…``), as a flat dict.

    In a preheated Voilà kernel this first waits for the page request, so that the
    app is built from the files as they are when the person opens the page, not when
    the kernel was started. Outside Voilà it returns ``{}`` at once.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "True":
        wait_for_page_request()
    query = os.environ.get("QUERY_STRING", "")
    return {key: values[-1] for key, values in parse_qs(query).items() if values and key != "token"}


def wait_for_page_request() -> None:
    """Voilà's ``wait_for_request`` without importing Voilà (~20 MB and ~1.5 CPU-s in every kernel).

    Reads the page's request info (``QUERY_STRING``…) from the server's ``/voila/query/<kernel id>``
    websocket into ``os.environ``, in a thread with its own event loop, as Voilà does.
    """
    import asyncio
    import json
    import threading
    import warnings

    from tornado.httpclient import HTTPClientError
    from tornado.websocket import WebSocketError, websocket_connect

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    host = f"{env.get('VOILA_APP_IP', '127.0.0.1')}:{env.get('VOILA_APP_PORT', '8866')}"
    url = f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{host}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"
    received: list[str] = []

    async def receive() -> None:
        connection = await websocket_connect(url, connect_timeout=5)
        try:
            message = await connection.read_message()  # no timeout: the page may come an hour later
            received.extend([message] if isinstance(message, str) else [])
        finally:
            connection.close()

    def run() -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(receive())
        except (OSError, HTTPClientError, WebSocketError) as exc:  # as Voilà: warn, then build from no request
            warnings.warn(f"Failed to connect to {url}: {exc}", stacklevel=3)
        finally:
            loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join()
    for key, value in (json.loads(received[0]) if received else {}).items():
        os.environ[key] = value
