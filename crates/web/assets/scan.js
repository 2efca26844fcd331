// The receive page's scan field (issue 19), progressive enhancement: a
// keyboard-wedge scanner types a code and Enter into the focused "Skanna"
// field. Without this script Enter submits the form (the scan button is
// its first) and the page comes back with the row added. With it, the
// same post is made in the background: the form is replaced by the
// answer's form, the live region says what was added, and focus stays in
// the scan field, so the next code can be scanned at once. Codes scanned
// while a post is under way wait their turn, none is lost.
(function () {
  'use strict';
  var form = document.getElementById('receipt-form');
  if (!form || !window.fetch || !window.DOMParser) return;
  var queue = [];
  var busy = false;

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var fresh = doc.getElementById('receipt-form');
    if (fresh) form.innerHTML = fresh.innerHTML;
    var said = doc.getElementById('scan-status');
    var status = document.getElementById('scan-status');
    if (said && status) status.textContent = said.textContent;
    var oldSummary = document.querySelector('.error-summary');
    if (oldSummary) oldSummary.parentNode.removeChild(oldSummary);
    var summary = doc.querySelector('.error-summary');
    if (summary) form.parentNode.insertBefore(document.importNode(summary, true), form.parentNode.firstChild);
  }

  function next() {
    if (busy || queue.length === 0) return;
    busy = true;
    var body = new URLSearchParams(new FormData(form));
    body.set('scan', queue.shift());
    body.set('scan_do', '1');
    fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (html) { swap(html); })
      .catch(function () { form.submit(); })
      .then(function () {
        busy = false;
        var scan = document.getElementById('scan');
        if (scan) scan.focus();
        next();
      });
  }

  form.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || !e.target || e.target.id !== 'scan') return;
    e.preventDefault();
    var code = e.target.value.trim();
    e.target.value = '';
    if (code === '') return;
    queue.push(code);
    next();
  });
})();
