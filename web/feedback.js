// feedback.js: records a vote from the "Was this page helpful?" form without leaving the page.
//
// Without this script the form still works: it posts, and the server answers 303 back to the page.
// With it, the vote goes out with fetch asking for JSON, and the counts are updated in place.
// Served from /static/ and loaded with defer; no inline code, so the strict CSP holds.
// On a static copy of the site (portinfo export) the form posts to another origin, the vote
// server, and the page asks that server for the counts (data-counts); both need the vote server
// to answer the site's origin with CORS headers that allow credentials (docs/deploy.md).
'use strict';

(function () {
  var form = document.querySelector('form.fb');
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var buttons = form.querySelectorAll('button[name="vote"]');
  var status = document.querySelector('.fb-status');
  var clicked = null;

  // Remember which button submitted the form (SubmitEvent.submitter is not everywhere).
  Array.prototype.forEach.call(buttons, function (b) {
    b.addEventListener('click', function () { clicked = b; });
  });

  function setBusy(busy) {
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = busy; });
  }

  function show(counts, vote) {
    Array.prototype.forEach.call(buttons, function (b) {
      var n = b.querySelector('.n');
      if (n && typeof counts[b.value] === 'number') {
        n.textContent = String(counts[b.value]);
      }
      b.setAttribute('aria-pressed', b.value === vote ? 'true' : 'false');
    });
  }

  var countsUrl = form.getAttribute('data-counts');
  if (countsUrl) {
    fetch(countsUrl, { headers: { 'Accept': 'application/json' }, credentials: 'include' })
      .then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (counts) {
        if (counts) {
          show(counts, counts.vote);
        }
      }).catch(function () {
        // No counts: the buttons still vote.
      });
  }

  form.addEventListener('submit', function (ev) {
    var button = ev.submitter || clicked;
    if (!button || !button.value) {
      return; // let the browser post the form
    }
    ev.preventDefault();
    var body = new URLSearchParams();
    Array.prototype.forEach.call(form.querySelectorAll('input[type="hidden"]'), function (i) {
      body.append(i.name, i.value);
    });
    body.append('vote', button.value);
    setBusy(true);
    fetch(form.action, {
      method: 'POST',
      headers: { 'Accept': 'application/json' },
      body: body,
      credentials: 'include', // the voter cookie, also when votes go to another origin
      redirect: 'manual'
    }).then(function (r) {
      if (!r.ok) {
        var e = new Error('HTTP ' + r.status);
        e.status = r.status;
        throw e;
      }
      return r.json();
    }).then(function (counts) {
      show(counts, button.value);
      if (status) {
        // The choice in words (data-thanks-sad, -meh, -happy), not only its emoji.
        status.textContent = form.getAttribute('data-thanks-' + button.value) ||
          form.getAttribute('data-thanks') || '';
      }
    }).catch(function (e) {
      if (status) {
        // 429: too many new voters from this network on this page today; not counted.
        status.textContent = (e && e.status === 429 && form.getAttribute('data-capped')) ||
          form.getAttribute('data-failed') || '';
      }
    }).then(function () {
      setBusy(false);
      button.focus();
    });
  });
})();
