/* The Data page's uploads: post the dropped file to the server as a file, with progress.
 *
 * dcc.Upload gives the drop zone and reads the file in the browser; these clientside
 * callbacks send it to POST /upload/validate (the check and preview) and POST /upload/commit
 * (with the preview's token) as multipart form data, with the CSRF token in the header the
 * server expects. XMLHttpRequest, not fetch, because only it reports upload progress. The
 * JSON answer (or the error) goes into a dcc.Store, which a server callback draws.
 * See layouts/data.py for why the file does not travel through a Dash callback.
 */
(function () {
  'use strict';

  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)_csrf_token=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function show(percent, label, status, done) {
    const set = window.dash_clientside.set_props;
    set('data-progress', {
      value: percent, label: label,
      className: 'upload-progress mt-2' + (done ? ' d-none' : '')
    });
    if (status !== null) {
      set('data-status', {children: status});
    }
  }

  function send(url, contents, filename, token, verb) {
    return fetch(contents).then(function (r) { return r.blob(); }).then(function (blob) {
      return new Promise(function (resolve) {
        const form = new FormData();
        form.append('file', blob, filename);
        if (token) {
          form.append('token', token);
        }
        const xhr = new XMLHttpRequest();
        xhr.open('POST', url);
        xhr.setRequestHeader('X-CSRFToken', csrfToken());
        xhr.setRequestHeader('Accept', 'application/json');
        xhr.upload.onprogress = function (e) {
          if (e.lengthComputable) {
            const pct = Math.round(100 * e.loaded / e.total);
            show(pct, pct + '%', null, false);
          }
        };
        xhr.upload.onload = function () {
          show(100, verb, verb + ' ' + filename + '…', false);
        };
        xhr.onload = function () {
          let body;
          try {
            body = JSON.parse(xhr.responseText);
          } catch (err) {
            body = {error: 'The server answered ' + xhr.status + ' ' + xhr.statusText +
                           '. Try again, or ask an admin.'};
          }
          body.http_status = xhr.status;
          body.received = Date.now();  // a new value each time, so the page redraws
          resolve(body);
        };
        xhr.onerror = function () {
          resolve({error: 'The file could not be sent: check the connection and try again.',
                   http_status: 0, received: Date.now()});
        };
        show(0, '0%', 'Sending ' + filename + '…', false);
        xhr.send(form);
      });
    });
  }

  // dcc.Upload's file input (the control a keyboard reaches) has no name: it takes the drop
  // zone's visible words, found missing by axe-core.
  function nameTheInput() {
    const zone = document.getElementById('data-upload');
    const input = zone && zone.querySelector('input[type=file]');
    if (input && !input.hasAttribute('aria-label')) {
      const words = zone.querySelector('.upload-words');
      const choose = zone.querySelector('.upload-choose');
      input.setAttribute('aria-label', ((words ? words.textContent : '') +
                                        (choose ? choose.textContent : 'choose a file')).trim());
    }
  }
  new MutationObserver(nameTheInput).observe(document.documentElement,
                                             {subtree: true, childList: true});

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.dataUpload = {
    validate: function (contents, filename) {
      if (!contents) {
        return window.dash_clientside.no_update;
      }
      return send('/upload/validate?report=1', contents, filename || 'upload.csv', null,
                  'Checking');
    },
    commit: function (clicks, report, contents, filename) {
      if (!clicks || !contents || !report || !report.token) {
        return window.dash_clientside.no_update;
      }
      return send('/upload/commit', contents, filename || 'upload.csv', report.token,
                  'Storing');
    }
  };
}());
