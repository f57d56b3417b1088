"""What keyboard and screen-reader users need that ipywidgets do not give: one small widget.

ipywidgets draw an accordion's headers as plain ``div`` s, toggle buttons without a pressed state
and without a group, and have no live region. :class:`PageAccess` (an ``anywidget``: its code
travels with it, offline, in Voilà and JupyterLab) adds, once per page, for every widget of the
page (the app's and the facilitator's):

* **Accordion headers** become buttons: a Tab stop, a name, ``aria-expanded``, Enter and Space.
* **Toggle buttons** become one labelled group (its name is the widget's description, e.g. the
  question) of buttons with ``aria-pressed``, one Tab stop, and arrow keys, Home and End inside.
* **Tabs** get arrow keys when Lumino gives none; the page gets a ``main`` landmark and a
  *Skip to results* link (first Tab stop of the page).
* **A polite live region** (``role=status``) says what :meth:`PageAccess.announce` is given:
  saves, save errors, and level changes ("Data rose to Reliable", :func:`level_changes`).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from mlops_workbook.scoring.scorecard import ScoreCard

_ESM = r"""
function enhanceGroup(group) {
  const box = group.querySelector(":scope > div");
  if (!box) return;
  const label = group.querySelector(":scope > .widget-label");
  const name = (label && label.textContent.trim()) || group.getAttribute("title") || "Choices";
  box.setAttribute("role", "group");
  if (box.getAttribute("aria-label") !== name) box.setAttribute("aria-label", name);
  const buttons = [...box.querySelectorAll(":scope > button")];
  const pressed = buttons.findIndex((b) => b.classList.contains("mod-active"));
  const focused = buttons.indexOf(document.activeElement);
  const stop = focused >= 0 ? focused : Math.max(pressed, 0);
  buttons.forEach((b, i) => {
    b.setAttribute("aria-pressed", String(i === pressed));
    b.tabIndex = i === stop ? 0 : -1;
  });
  if (box.dataset.mwKeys) return;
  box.dataset.mwKeys = "1";
  box.addEventListener("keydown", (event) => {
    const all = [...box.querySelectorAll(":scope > button")];
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
                 Home: 0, End: all.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = all[(to + all.length) % all.length];
    all.forEach((b) => { b.tabIndex = b === next ? 0 : -1; });
    next.focus();
  });
}

function enhanceHeader(header) {
  const open = header.parentElement && header.parentElement.classList.contains("jupyter-widget-Collapse-open");
  header.setAttribute("role", "button");
  header.setAttribute("aria-expanded", String(!!open));
  if (!header.hasAttribute("tabindex")) header.tabIndex = 0;
  const icon = header.querySelector("i");
  if (icon) icon.setAttribute("aria-hidden", "true");
  if (header.dataset.mwKeys) return;
  header.dataset.mwKeys = "1";
  header.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); header.click(); }
  });
}

function enhanceTabs(bar) {
  const tabs = [...bar.querySelectorAll(".lm-TabBar-tab")];
  tabs.forEach((tab) => {
    const current = tab.classList.contains("lm-mod-current");
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-selected", String(current));
    tab.tabIndex = current ? 0 : -1;
  });
  const list = bar.querySelector(".lm-TabBar-content");
  if (list) list.setAttribute("role", "tablist");
  if (bar.dataset.mwKeys) return;
  bar.dataset.mwKeys = "1";
  bar.addEventListener("keydown", (event) => {
    const all = [...bar.querySelectorAll(".lm-TabBar-tab")];
    const at = all.indexOf(document.activeElement);
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (at < 0 || (step === undefined && event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    event.stopPropagation();
    const tab = step === undefined ? all[at] : all[(at + step + all.length) % all.length];
    const box = tab.getBoundingClientRect();  // Lumino selects the tab under a primary pointer press
    const press = { bubbles: true, button: 0, isPrimary: true, pointerType: "mouse",
                    clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 };
    tab.dispatchEvent(new PointerEvent("pointerdown", press));
    tab.dispatchEvent(new PointerEvent("pointerup", press));
    setTimeout(() => tab.focus(), 0);
  }, true);
}

function enhance(root) {
  root.querySelectorAll(".jupyter-widget-Collapse-header").forEach(enhanceHeader);
  root.querySelectorAll(".widget-toggle-buttons").forEach(enhanceGroup);
  root.querySelectorAll(".lm-TabBar").forEach(enhanceTabs);
  root.querySelectorAll(".mw-results").forEach((r) => { if (!r.id) r.id = "mw-results"; });
}

function install() {
  if (window.__mwAccess) return;
  window.__mwAccess = true;
  let queued = false;
  const run = () => { queued = false; enhance(document); };
  new MutationObserver(() => { if (!queued) { queued = true; requestAnimationFrame(run); } })
    .observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
  document.addEventListener("focusin", (e) => {
    const group = e.target.closest && e.target.closest(".widget-toggle-buttons");
    if (group) enhanceGroup(group);
  });
  run();
}

function landmark(el, skipLabel) {
  const inVoila = document.body.hasAttribute("data-voila");
  const root = el.closest(".mw-app, .mw-fac");
  if (!root) return false;
  if (inVoila && !document.querySelector("main, [role=main]")) {
    // every cell of the page (Voilà's), so nothing is left outside a landmark
    const holder = root.closest("#rendered_cells") || root.closest(".jp-Cell, .jp-OutputArea") || root;
    holder.setAttribute("role", "main");
  }
  if (skipLabel && !document.querySelector(".mw-skip")) {
    const skip = document.createElement("a");
    skip.className = "mw-skip";
    skip.href = "#mw-results";
    skip.textContent = skipLabel;
    skip.addEventListener("click", (event) => {
      const results = document.getElementById("mw-results");
      if (!results) return;
      event.preventDefault();
      const tab = results.querySelector(".lm-TabBar-tab.lm-mod-current") || results;
      if (!tab.hasAttribute("tabindex")) tab.tabIndex = -1;
      tab.focus();
      tab.scrollIntoView({ block: "start" });
    });
    (inVoila ? document.body : root).prepend(skip);
  }
  return true;
}

function render({ model, el }) {
  install();
  const live = document.createElement("div");
  live.className = "mw-sr-only";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  el.append(live);
  // "kind|text": a burst (typing a note saves on every key) is said once, when it settles:
  // the last text of each kind (the save, the level changes), in the order they came.
  let timer = null, pending = new Map();
  model.on("change:message", () => {
    const [kind, ...rest] = model.get("message").split("|");
    pending.delete(kind);
    pending.set(kind, rest.join("|").trim());
    clearTimeout(timer);
    timer = setTimeout(() => {
      live.textContent = [...pending.values()].filter(Boolean).join(" ");
      pending = new Map();
    }, 700);
  });
  let tries = 0;
  const place = () => { if (!landmark(el, model.get("skip_label")) && ++tries < 50) setTimeout(place, 100); };
  place();
  return () => clearTimeout(timer);
}
export default { render };
"""


def plain_text(html: str) -> str:
    """The words of an HTML fragment, for a screen reader.

    >>> plain_text("<span class='mw-ok'>✔ Saved at 10:01</span> <span>to a&amp;b.json</span>")
    '✔ Saved at 10:01 to a&b.json'
    """
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def level_changes(before: ScoreCard | None, after: ScoreCard) -> list[str]:
    """What changed in the levels, in words: ``["Data rose to Reliable"]`` (empty at the first score
    and on another model)."""
    if before is None or before.framework_id != after.framework_id:
        return []
    said = []
    for old, new in zip(before.dimensions, after.dimensions, strict=False):
        if old.id != new.id or old.rank == new.rank or new.rank is None:
            continue
        moved = "rose" if old.rank is None or new.rank > old.rank else "fell"
        said.append(f"{new.name} {moved} to {new.level_name}")
    return said


class PageAccess(anywidget.AnyWidget):
    """Keyboard and screen-reader support for the page it is on, and its polite live region."""

    _esm = _ESM
    message = traitlets.Unicode("").tag(sync=True)
    skip_label = traitlets.Unicode("").tag(sync=True)

    def announce(self, text: str, kind: str = "status") -> None:
        """Say ``text`` politely (after what the screen reader is saying); repeated text is said again.

        Within a burst of announcements only the last one of each ``kind`` is said.
        """
        text = text.strip()
        if text:
            message = f"{kind}|{text}"
            self.message = message if message != self.message else message + "\u00a0"

    def follow(self, status: w.HTML, problems: w.HTML, results: Any) -> None:
        """Announce the app's status line (saves), its problems (save errors) and level changes.

        ``results`` is the app's :class:`~mlops_workbook.app.results.ResultsPanel`: its tabs become
        the skip link's target, and each redraw is compared with the previous card.
        """
        self.skip_label = "Skip to results"
        results.tabs.add_class("mw-results")
        last: dict[str, ScoreCard | None] = {"card": None}

        def on_status(change: dict[str, Any]) -> None:
            self.announce(plain_text(change["new"]))

        def on_levels(_change: dict[str, Any]) -> None:
            report = results.report
            if report is None:
                return
            words = level_changes(last["card"], report.card)
            last["card"] = report.card
            if words:
                self.announce(". ".join(words) + ".", kind="levels")

        def on_problems(change: dict[str, Any]) -> None:
            self.announce(plain_text(change["new"]), kind="problem")

        status.observe(on_status, names="value")
        problems.observe(on_problems, names="value")
        results.overall.observe(on_levels, names="value")
