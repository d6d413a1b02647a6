// Small shared behaviour, by delegation on data attributes: the Content-Security-Policy (core/middleware.py) allows
// no inline script, no on*= attribute and no eval, so pages say what they want in data-* and this file does it.
// htmx sends the CSRF token from the <body hx-headers> attribute.
(function () {
  "use strict";

  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr.status;
    const text = status === 403 ? "您没有权限执行此操作。" : status === 404 ? "未找到该内容，或您无权查看。" : "操作未成功，请稍后重试。";
    window.alert(text);
  });

  // <form data-confirm="确定……吗？">: ask before sending (htmx forms use hx-confirm). With
  // data-confirm-count="a selector", "{count}" in the question becomes the number of matching elements in the form
  // (the naming form: how many collectives are ticked).
  document.addEventListener("submit", function (event) {
    const form = event.target;
    let question = form.dataset ? form.dataset.confirm : "";
    if (!question) {
      return;
    }
    if (form.dataset.confirmCount) {
      question = question.split("{count}").join(String(form.querySelectorAll(form.dataset.confirmCount).length));
    }
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });

  // <select data-submit-on-change>: choosing an option sends its form (the campaign switch of a ledger).
  document.addEventListener("change", function (event) {
    const field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
})();
