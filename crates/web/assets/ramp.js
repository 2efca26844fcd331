// Ramp's own script, served from /assets (the CSP allows no inline script).
// Every page works without it; it adds two things:
//  1. The "Meny" button on narrow screens: a real button that opens and
//     closes the main menu (aria-expanded), Escape closes it and returns
//     focus to the button. Without this script the button stays hidden and
//     the menu is shown as a wrapping list.
//  2. Focus after an htmx swap: when a person asked for new content (a form
//     submitted, a link or button clicked) and it lands in a region marked
//     `swap-region`, focus moves to the region's `[data-swap-focus]` element
//     (or the region), so keyboard and screen-reader users start reading the
//     new content; swaps nobody asked for are announced in a polite live region.
(function () {
  'use strict';

  function setUpMenu() {
    var button = document.getElementById('menu-toggle');
    if (!button) return;
    var menu = document.getElementById(button.getAttribute('aria-controls'));
    if (!menu) return;
    function set(open) {
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
    set(false);
    button.hidden = false;
    button.addEventListener('click', function () {
      set(button.getAttribute('aria-expanded') !== 'true');
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
        set(false);
        button.focus();
      }
    });
  }

  var live;
  function announce(text) {
    if (!live) return;
    live.textContent = '';
    window.setTimeout(function () { live.textContent = text; }, 100);
  }

  function setUpSwapFocus() {
    live = document.createElement('div');
    live.id = 'swap-announcer';
    live.className = 'visually-hidden';
    live.setAttribute('role', 'status');
    document.body.appendChild(live);
    document.body.addEventListener('htmx:afterSwap', function (e) {
      var region = e.detail && e.detail.target;
      if (!region || !region.classList || !region.classList.contains('swap-region')) return;
      var config = e.detail.requestConfig || {};
      var from = config.elt;
      var trigger = config.triggeringEvent;
      var asked = (trigger && (trigger.type === 'submit' || trigger.type === 'click')) ||
        (from && (from.tagName === 'FORM' || from.tagName === 'A' || from.tagName === 'BUTTON'));
      var target = region.querySelector('[data-swap-focus]') || region;
      if (asked) {
        if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target.focus();
      } else {
        announce(target.textContent.trim());
      }
    });
  }

  setUpMenu();
  setUpSwapFocus();
})();
