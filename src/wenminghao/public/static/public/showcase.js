// The showcase's picture viewer: a work's pictures are a plain list of images (and links to their web copies)
// without JavaScript; with it, a tap opens a full-screen viewer with previous/next, swipe, arrow keys and Esc.
// No inline script or style (CSP): the viewer is in the page, hidden with Bootstrap's d-none.
(function () {
  "use strict";

  function setUp(list) {
    const viewer = document.getElementById("showcase-viewer");
    if (!viewer) {
      return;
    }
    const items = Array.prototype.slice.call(list.querySelectorAll("[data-viewer-item]"));
    const image = viewer.querySelector("[data-viewer-image]");
    const caption = viewer.querySelector("[data-viewer-caption]");
    const previous = viewer.querySelector("[data-viewer-prev]");
    const next = viewer.querySelector("[data-viewer-next]");
    let index = 0;
    let opener = null;
    let touchX = null;

    function show(at) {
      index = (at + items.length) % items.length;
      const link = items[index];
      const thumb = link.querySelector("img");
      image.src = link.getAttribute("href");
      image.alt = thumb ? thumb.alt : "";
      const text = link.getAttribute("data-caption") || "";
      caption.textContent = "第" + (index + 1) + "张，共" + items.length + "张" + (text ? "：" + text : "");
      previous.classList.toggle("d-none", items.length < 2);
      next.classList.toggle("d-none", items.length < 2);
    }

    function open(at) {
      opener = document.activeElement;
      show(at);
      viewer.classList.remove("d-none");
      document.body.classList.add("showcase-viewer-open");
      viewer.focus();
    }

    function close() {
      viewer.classList.add("d-none");
      document.body.classList.remove("showcase-viewer-open");
      image.removeAttribute("src");
      if (opener && opener.focus) {
        opener.focus();
      }
    }

    items.forEach(function (link, at) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
          return; // a new tab or window: let the browser open the picture
        }
        event.preventDefault();
        open(at);
      });
    });
    viewer.querySelector("[data-viewer-close]").addEventListener("click", close);
    previous.addEventListener("click", function () { show(index - 1); });
    next.addEventListener("click", function () { show(index + 1); });
    viewer.addEventListener("click", function (event) {
      if (event.target === viewer) {
        close();
      }
    });
    viewer.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        close();
      } else if (event.key === "ArrowLeft") {
        show(index - 1);
      } else if (event.key === "ArrowRight") {
        show(index + 1);
      }
    });
    viewer.addEventListener("touchstart", function (event) {
      touchX = event.changedTouches[0].clientX;
    }, { passive: true });
    viewer.addEventListener("touchend", function (event) {
      if (touchX === null) {
        return;
      }
      const moved = event.changedTouches[0].clientX - touchX;
      touchX = null;
      if (Math.abs(moved) > 40) {
        show(moved < 0 ? index + 1 : index - 1);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-showcase-viewer]").forEach(setUp);
  });
})();
