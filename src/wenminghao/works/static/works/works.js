// The works pages' behaviour: live counts, the display forms of a category, and the Uppy upload area.
// Loaded in the page's head, before Alpine (base.html loads it last), so that the Alpine components are registered
// before Alpine starts; Uppy (deferred) is set up once the document has loaded. No inline scripts and no eval (the
// CSP, Alpine's CSP build): data comes from data- attributes and json_script. A form's data-confirm is site.js's.
(function () {
  "use strict";

  function jsonData(id, fallback) {
    var node = document.getElementById(id);
    if (!node) return fallback;
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      return fallback;
    }
  }

  document.addEventListener("alpine:init", function () {
    var Alpine = window.Alpine;

    // A textarea with a live count against a limit: data-limit, data-rule ("length" for the description,
    // "words" for Word's 字数 of an essay). The count the server stores is the authoritative one.
    Alpine.data("textCounter", function () {
      return {
        count: 0,
        limit: 0,
        init: function () {
          this.limit = parseInt(this.$root.dataset.limit || "0", 10);
          this.update();
        },
        update: function () {
          var field = this.$refs.field;
          var text = field ? field.value : "";
          this.count = this.$root.dataset.rule === "words" ? window.wmhCountCharacters(text) : window.wmhCountLength(text);
        },
        get over() {
          return this.limit > 0 && this.count > this.limit;
        },
      };
    });

    // The work form: the display forms offered follow the category (enums.CATEGORY_FORMS), the essay kind
    // shows for essays, the web address for H5 works.
    Alpine.data("workForm", function () {
      return {
        category: "",
        displayForm: "",
        forms: {},
        init: function () {
          this.forms = jsonData("category-forms", {});
          var category = this.$refs.category;
          this.category = category ? category.value : this.$root.dataset.category || "";
          this.displayForm = this.$refs.displayForm ? this.$refs.displayForm.value : "";
          this.filter();
        },
        filter: function () {
          var category = this.$refs.category;
          if (category) this.category = category.value;
          var select = this.$refs.displayForm;
          if (!select) return;
          var allowed = this.forms[this.category] || [];
          var keep = false;
          Array.prototype.forEach.call(select.options, function (option) {
            var ok = allowed.length === 0 || allowed.indexOf(option.value) !== -1;
            option.hidden = !ok;
            option.disabled = !ok;
            if (ok && option.value === select.value) keep = true;
          });
          if (!keep && allowed.length) select.value = allowed[0];
          this.displayForm = select.value;
        },
        sync: function () {
          this.displayForm = this.$refs.displayForm.value;
        },
      };
    });
  });

  // --- uploads ----------------------------------------------------------------------------------------

  function responseMessages(xhr) {
    var messages = [];
    try {
      var body = JSON.parse(xhr.responseText);
      (body.errors || []).forEach(function (error) {
        messages.push(error.message);
      });
    } catch (error) {
      // not JSON: fall through to a general message
    }
    if (!messages.length) {
      if (xhr.status === 413) messages.push("文件过大，超出上传大小上限。");
      else if (xhr.status === 403) messages.push("您没有权限上传到该作品。");
      else if (xhr.status === 404) messages.push("未找到该作品，或您无权查看。");
      else messages.push("上传未成功（" + (xhr.status || "网络错误") + "），请稍后重试。");
    }
    return messages;
  }

  function showRefusal(list, fileName, message) {
    if (!list) return;
    var item = document.createElement("li");
    item.textContent = message;
    item.dataset.refusedFile = fileName;
    list.appendChild(item);
    list.closest("[data-upload-errors]").hidden = false;
  }

  function filesChanged() {
    if (window.htmx) window.htmx.trigger(document.body, "works-files-changed");
  }

  function setUpUploader(element) {
    var Uppy = window.Uppy;
    if (!Uppy || !Uppy.Uppy) return;
    var data = element.dataset;
    var errorBox = document.getElementById(data.errors);
    var errorList = errorBox ? errorBox.querySelector("ul") : null;
    var maxFiles = parseInt(data.maxFiles || "0", 10) || null;
    var uppy = new Uppy.Uppy({
      id: element.id,
      autoProceed: true,
      locale: Uppy.locales && Uppy.locales.zh_CN,
      restrictions: {
        maxFileSize: parseInt(data.maxBytes || "0", 10) || null,
        maxNumberOfFiles: maxFiles,
      },
    });
    uppy.use(Uppy.Dashboard, {
      inline: true,
      target: element,
      width: "100%",
      height: parseInt(data.height || "260", 10),
      note: data.note || "",
      proudlyDisplayPoweredByUppy: false,
      showProgressDetails: true,
      hideUploadButton: true,
      hideRetryButton: true,
      hidePauseResumeButton: true,
      hideCancelButton: false,
      disableThumbnailGenerator: false,
      showRemoveButtonAfterComplete: false,
      fileManagerSelectionType: "files",
    });
    uppy.use(Uppy.XHRUpload, {
      endpoint: data.endpoint,
      fieldName: "file",
      formData: true,
      limit: 1, // one at a time, so the pictures keep the order they were chosen in
      headers: { "X-CSRFToken": data.csrf, Accept: "application/json" },
      allowedMetaFields: [],
      // Only a lost connection or an overloaded server is worth retrying; a refusal is final.
      shouldRetry: function (xhr) {
        return xhr.status === 0 || xhr.status === 502 || xhr.status === 503;
      },
      onAfterResponse: function (xhr) {
        if (xhr.status >= 400) {
          throw new Error(responseMessages(xhr).join("；"));
        }
      },
    });
    uppy.on("upload-success", function (file) {
      if (data.reload) {
        // A work takes one video: show the page with its player (and without the upload area).
        window.location.reload();
        return;
      }
      filesChanged();
      // Leave the finished file on screen for a moment, then make room for the next ones.
      window.setTimeout(function () {
        if (uppy.getFile(file.id)) uppy.removeFile(file.id);
      }, 1500);
    });
    uppy.on("upload-error", function (file, error) {
      showRefusal(errorList, file ? file.name : "", error && error.message ? error.message : "上传未成功。");
      // The reason stays listed below the upload area; the refused file leaves the queue.
      window.setTimeout(function () {
        if (file && uppy.getFile(file.id)) uppy.removeFile(file.id);
      }, 3000);
    });
    uppy.on("complete", filesChanged);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-uppy]"), setUpUploader);
  });
})();
