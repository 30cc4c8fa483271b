// The installable app: registers the service worker (/sw.js) that shows the offline page
// and the notifications pushed to this device. Nothing here is needed to use the site.
"use strict";
(() => {
  const script = document.currentScript;
  const url = script && script.dataset.serviceWorker;
  if (!url || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {
      // An old or locked-down browser: the site works the same without it.
    });
  });
})();
