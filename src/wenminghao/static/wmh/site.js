// Small shared behaviour. htmx sends the CSRF token from the <body hx-headers> attribute.
document.addEventListener("htmx:responseError", function (event) {
  const status = event.detail.xhr.status;
  const text = status === 403 ? "您没有权限执行此操作。" : status === 404 ? "未找到该内容，或您无权查看。" : "操作未成功，请稍后重试。";
  window.alert(text);
});
