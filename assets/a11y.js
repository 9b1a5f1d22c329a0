/* Accessibility repairs for Dash 4's dcc.Dropdown, each one found by axe-core
 * (tests/browser/test_accessibility.py). Dash renders these parts itself, so they are
 * patched in the page as they appear:
 *
 * - the closed dropdown is reached through a hidden, aria-hidden "focus target" input that
 *   passes focus on to the real button: keyboard focus on an aria-hidden element (WCAG 4.1.2).
 *   The target is disabled and the button itself takes part in the tab order.
 * - the button's name is only its value ("Southend-on-Sea"); it becomes label + value
 *   ("Home area Southend-on-Sea"), so that the visible label is part of its name (2.5.3).
 * - the open list (role=listbox) has no name: it takes the label's text.
 * - each option is a <label role=option> around a focusable radio: nested interactive
 *   controls. The role moves to the radio the component focuses, with its aria-selected.
 */
(function () {
  "use strict";

  function set(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }

  function labelOf(button) {
    const label = button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
    if (label && !label.id) { label.id = button.id + "-label"; }
    return label;
  }

  function repair() {
    document.querySelectorAll(".dash-dropdown-focus-target").forEach(function (t) {
      if (!t.disabled) { t.disabled = true; }
      set(t, "tabindex", "-1");
    });
    document.querySelectorAll("button.dash-dropdown").forEach(function (b) {
      if (!b.disabled) { set(b, "tabindex", "0"); }
      const label = labelOf(b);
      if (label) { set(b, "aria-labelledby", label.id + " " + b.id + "-value"); }
    });
    const open = document.querySelector('button.dash-dropdown[aria-expanded="true"]');
    const openLabel = open && labelOf(open);
    document.querySelectorAll('.dash-options-list[role="listbox"]').forEach(function (list) {
      set(list, "aria-label", openLabel ? openLabel.textContent.trim() : "Options");
    });
    document.querySelectorAll(".dash-dropdown-search").forEach(function (s) {
      set(s, "aria-label", "Search " + (openLabel ? openLabel.textContent.trim() : "options"));
    });
    document.querySelectorAll('.dash-options-list label.dash-options-list-option').forEach(
      function (option) {
        const input = option.querySelector("input");
        if (!input) { return; }
        if (option.hasAttribute("aria-selected")) {
          set(input, "aria-selected", option.getAttribute("aria-selected"));
          option.removeAttribute("aria-selected");
        }
        set(option, "role", "none");
        set(input, "role", "option");
      });
  }

  let queued = false;
  function schedule() {
    if (queued) { return; }
    queued = true;
    requestAnimationFrame(function () { queued = false; repair(); });
  }

  new MutationObserver(function (records) {
    // Our own attribute writes also land here; repair() only writes what differs, so this
    // settles after one extra pass.
    if (records.length) { schedule(); }
  }).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["aria-selected", "aria-expanded", "tabindex", "aria-labelledby", "role"],
  });
  schedule();
})();
