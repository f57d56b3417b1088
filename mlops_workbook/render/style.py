"""The workbook's one stylesheet: the app, the facilitator page, the reports and the index.

Every page includes :data:`STYLE` once (the app's and the facilitator's header, a report's first
section, the index's head). Every rule names a class of ours (``mw-…``, and ``mwr`` for a report
page) or of the app's own widgets, so it cannot restyle the rest of a notebook it is shown in.
The rules are CSS text in a Python string: they travel with the package without package data.
"""

from __future__ import annotations

CSS = """
/* Cards: the app's and the facilitator's panels, and the fragments both share with the reports */
.mw-card {font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 14px; line-height: 1.45}
.mw-card table {border-collapse: collapse; width: 100%}
.mw-card th, .mw-card td {text-align: left; padding: 4px 8px; border-bottom: 1px solid #ddd; vertical-align: top}
.mw-card th {background: #f4f4f4}
.mw-overall {font-size: 18px; margin: 4px 0 8px}
.mw-overall b {font-size: 22px}
.mw-muted {color: #666}
.mw-level {display: inline-block; padding: 1px 6px; border-radius: 8px; background: #e8eef7; font-size: 12px;
           color: #234}
.mw-gap li {margin-bottom: 6px}
.mw-error {color: #a40000; font-weight: 600}
.mw-flag {color: #a40000; font-weight: 600}
.mw-provisional {display: inline-block; padding: 0 6px; border-radius: 8px; background: #fff1c2; color: #6b4e00;
                 font-size: 12px; font-weight: 600}
.mw-card tr.mw-why-row td {font-size: 12px; padding-top: 0; border-bottom: 2px solid #ccc}
.mw-card tr:has(+ tr.mw-why-row) td {border-bottom: 0}
.mw-away {background: #fff7e0; border-left: 4px solid #e0a800; padding: 6px 10px; margin: 6px 0}
.mw-ok {color: #1a6b2f}
.mw-example, .mw-hint {display: inline-block; background: #fff4ce; border-left: 4px solid #8a6d00;
  padding: 4px 8px; color: #3d3000}
details.mw-why summary {cursor: pointer; color: #0b5394}
.widget-html-content svg.marks {max-width: 100%; height: auto}
.mw-card a, .widget-html-content a[download] {color: #0b5394; text-decoration: underline}
.widget-toggle-button.mod-active {background: #0072B2 !important; color: white !important; font-weight: 600}
.mw-q textarea {font-family: inherit}

/* A report page (one assessment) and the index of reports */
.mwr {font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 14px; line-height: 1.5;
      color: #1d2329; max-width: 1000px}
.mwr h1 {font-size: 26px; margin: 0 0 4px; border: 0}
.mwr .mwr-sub {color: #5b6570; margin: 0 0 12px}
.mwr dl {display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 12px}
.mwr dt {color: #5b6570} .mwr dd {margin: 0}
.mwr .mwr-overall {background: #f3f6fa; border-left: 4px solid #2f6db5; padding: 10px 14px; margin: 8px 0}
.mwr .mwr-overall b {font-size: 18px}
.mwr table {border-collapse: collapse; width: 100%; margin: 4px 0 12px; table-layout: auto}
.mwr th, .mwr td {text-align: left !important; padding: 5px 8px; border-bottom: 1px solid #dde2e7;
                  vertical-align: top}
.mwr th {background: #f3f5f7; font-weight: 600}
.mwr td.mwr-num {text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap}
.mwr .mwr-muted, .mwr .mw-muted {color: #5b6570}
.mwr ol.mwr-gap li, .mwr ol.mw-gap li {margin-bottom: 8px}
.mwr .mwr-tag {display: inline-block; padding: 0 7px; border-radius: 9px; background: #e4ecf7; color: #1f3b5c;
               font-size: 12px; margin-right: 4px}
.mwr .mwr-note {white-space: pre-wrap}
.mwr .mwr-flag {color: #a40000; font-weight: 600}
.mwr .mwr-provisional {display: inline-block; padding: 0 7px; border-radius: 9px; background: #fff1c2;
                       color: #6b4e00; font-size: 12px; font-weight: 600}
.mwr .mwr-away {background: #fff7e0; border-left: 4px solid #e0a800; padding: 8px 14px; margin: 8px 0}

/* 'Defend this score', in the app and in the report */
.mw-defend table {border-collapse: collapse; width: 100%; margin: 6px 0}
.mw-defend th, .mw-defend td {text-align: left; padding: 4px 6px; border-bottom: 1px solid #dde2e7;
                              vertical-align: top}
.mw-defend th {background: #f3f5f7}
.mw-defend .mw-role {display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; white-space: nowrap}
.mw-defend .mw-role-met {background: #dcefe1; color: #1a6b2f}
.mw-defend .mw-role-blocker {background: #fbe3d6; color: #8a3a00}
.mw-defend .mw-role-na {background: #eceff3; color: #3b4650}
.mw-defend .mw-flag {color: #a40000; font-weight: 600}
.mw-defend .mw-note {white-space: pre-wrap}
.mw-defend .mw-muted {color: #5b6570}

/* The facilitator page */
.mw-fac .mw-card {font-size: 15px}
.mw-disc {list-style: none; padding: 0; margin: 0}
.mw-disc > li {border-bottom: 1px solid #ddd; padding: 8px 4px 10px}
.mw-disc-rank {display: inline-block; min-width: 28px; height: 28px; line-height: 28px; text-align: center;
               border-radius: 14px; background: #0072B2; color: white; font-weight: 700; margin-right: 6px}
.mw-disc-q {font-size: 17px; font-weight: 600}
.mw-spread {display: flex; gap: 4px; margin: 6px 0 4px 34px; flex-wrap: wrap}
.mw-spread span {display: inline-block; min-width: 52px; padding: 2px 6px; border-radius: 4px; text-align: center;
                 border: 1px solid #c8d6e5; font-size: 14px}
.mw-spread span b {font-size: 16px}
.mw-disc-facts {margin-left: 34px}
.mw-notes {margin: 4px 0 0 34px; padding-left: 18px}
.mw-notes li {margin: 2px 0}
.mw-agreed {color: #1a6b2f; font-weight: 600}
.mw-count {font-size: 18px; margin: 4px 0}
.mw-count b {font-size: 22px}
.mw-team-radar svg, .mw-teams-heatmap svg {max-width: 100%; height: auto}
.mw-fac .widget-checkbox {width: auto}
.mw-empty {font-size: 16px; padding: 12px; background: #f4f8fb; border: 1px solid #c8d6e5; border-radius: 6px}

/* Keyboard focus, on every page: a 3 px dark-blue ring (9-10:1 on white and the light greys) kept off
   the control by a white halo, so it also shows around a selected blue button */
.mw-app :focus-visible, .mw-fac :focus-visible, .mwr :focus-visible, .mw-skip:focus-visible,
.mw-app input:focus, .mw-app textarea:focus, .mw-fac input:focus, .mw-fac textarea:focus {
  outline: 3px solid #0b3d91 !important; outline-offset: 2px !important; box-shadow: 0 0 0 2px #fff !important}

/* Text contrast >= 4.5:1 where the widgets' own grey (#6d6d6d on #eee, 4.45:1) is too light */
.mw-app .jupyter-widget-Collapse-header, .mw-fac .jupyter-widget-Collapse-header, .mw-app .lm-TabBar-tabLabel,
.mw-fac .lm-TabBar-tabLabel, .mw-app .lm-TabBar-tab, .mw-fac .lm-TabBar-tab, .mw-app .widget-label,
.mw-fac .widget-label {color: #1d2329 !important}
.mw-app .jupyter-widget-Collapse-header, .mw-fac .jupyter-widget-Collapse-header {cursor: pointer}

/* Tabs wrap their labels and their row instead of cutting them ("Ne…") */
.mw-app .lm-TabBar, .mw-fac .lm-TabBar {min-height: 0 !important; height: auto !important; overflow: visible}
.mw-app .lm-TabBar-content, .mw-fac .lm-TabBar-content {flex-wrap: wrap; height: auto !important}
.mw-app .lm-TabBar-tab, .mw-fac .lm-TabBar-tab {flex: 0 1 auto !important; min-width: 0 !important;
  max-width: none !important; height: auto !important; min-height: 28px}
.mw-app .lm-TabBar-tabLabel, .mw-fac .lm-TabBar-tabLabel {white-space: normal; overflow: visible;
  text-overflow: clip; line-height: 1.3 !important; padding: 4px 0}

/* Reflow: below 700 px the app stacks its questions above its results, and nothing is wider than the screen */
@media (max-width: 700px) {
  .mw-app .widget-hbox:has(.mw-questions) {flex-direction: column !important}
  .mw-app .widget-hbox:has(.mw-questions) > .widget-vbox {width: 100% !important; padding: 0 !important}
  .mw-app .widget-text, .mw-app .widget-dropdown, .mw-fac .widget-text, .mw-fac .widget-dropdown {
    width: 100% !important; max-width: 100%}
  .mw-app .widget-inline-hbox .widget-label, .mw-fac .widget-inline-hbox .widget-label {
    width: auto !important; min-width: 0 !important; flex: 0 1 auto}
  .mw-app .widget-toggle-buttons > div {display: flex; flex-wrap: wrap}
  .mw-app .widget-hbox:has(> .widget-toggle-buttons) {flex-wrap: wrap}
  .mw-app .mw-card table, .mw-fac .mw-card table {display: block; overflow-x: auto}
}
.mw-app, .mw-fac {max-width: 100%; box-sizing: border-box; overflow-wrap: anywhere}
.mw-app .jupyter-button.mw-clear {flex-shrink: 0; min-width: 60px; width: auto !important}

/* The page's one h1 (app and facilitator) */
.mw-title {margin: 4px 0; font-size: 1.5em; line-height: 1.2}

/* For screen readers only: the live region, and the labels naming each question's controls */
.mw-sr-only, .mw-q .widget-label, .mw-consensus-row .widget-label {position: absolute !important; width: 1px;
  height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0}
/* The skip link: the page's first Tab stop, shown when focused */
.mw-skip {position: absolute; left: 8px; top: -60px; z-index: 2000; background: #fff; color: #0b3d91;
  padding: 8px 14px; border: 2px solid #0b3d91; font-weight: 600}
.mw-skip:focus {top: 8px}

/* Wide tables scroll inside their own box (a Tab stop, so keyboard users can scroll it) */
.mw-scroll {overflow-x: auto; max-width: 100%}
/* Reflow of a report and the index: charts shrink to the page, wide tables scroll inside themselves */
.mwr svg.marks {max-width: 100%; height: auto}
@media (max-width: 700px) {
  .mwr table {display: block; overflow-x: auto; max-width: 100%}
  .mwr .mw-scroll table {display: table}
}
"""

#: The stylesheet as an HTML ``<style>`` element, ready to put in front of a fragment.
STYLE = f"<style>{CSS}</style>"
