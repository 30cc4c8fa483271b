// Live updates over server-sent events (docs/live-updates.md). Progressive enhancement:
// without this script, or without EventSource, pages show news on the next load.
//
// <div data-live-url="/g/solo/t/42/events/" data-live-event="post.created"
//      data-live-append="#replies" data-live-announce="New reply">
//   appends the HTML fetched from each event's data.fragment_url to #replies;
// <div data-live-url="/g/solo/events/" data-live-event="thread.created"
//      data-live-counter="#new-count" data-live-banner="#new-threads"
//      data-live-banner-one="1 new thread" data-live-banner-many="{n} new threads">
//   counts events and reveals the banner, its [data-live-banner-text] saying how many.
// data-live-banner-resync: what the banner says when events were missed.
(() => {
  "use strict";
  if (!("EventSource" in window) || !("fetch" in window)) return;

  const FIRST_DELAY = 1000;
  const LONGEST_DELAY = 60000;

  function find(selector) {
    return selector ? document.querySelector(selector) : null;
  }

  function listen(root) {
    const options = root.dataset;
    const names = (options.liveEvent || "").split(/\s+/).filter(Boolean);
    const target = find(options.liveAppend);
    const counter = find(options.liveCounter);
    const banner = find(options.liveBanner);
    let count = 0;
    let lastId = "";
    let delay = FIRST_DELAY;
    let appended = Promise.resolve();

    // Appended replies are read out politely, after what the reader is hearing.
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    root.append(status);

    function announce(text) {
      status.textContent = "";
      // A change screen readers notice even when the text is the same as last time.
      window.setTimeout(() => { status.textContent = text; }, 100);
    }

    function showBanner(text) {
      if (!banner || !text) return;
      (banner.querySelector("[data-live-banner-text]") || banner).textContent = text;
      banner.hidden = false;
    }

    function parse(event) {
      if (event.lastEventId) lastId = event.lastEventId;
      try {
        return JSON.parse(event.data) || {};
      } catch {
        return {};
      }
    }

    function sameOrigin(url) {
      try {
        return new URL(url, window.location.href).origin === window.location.origin;
      } catch {
        return false;
      }
    }

    function present(data) {
      // The page may already hold it: the member's own reply, added by the form.
      return Boolean(data.dom_id && document.getElementById(data.dom_id));
    }

    async function append(data) {
      if (present(data) || !sameOrigin(data.fragment_url)) return;
      const response = await fetch(data.fragment_url, { credentials: "same-origin" });
      if (!response.ok || present(data)) return;
      // Rendered and sanitised by the server, like the rest of the page.
      const html = await response.text();
      const last = target.lastChild;
      target.insertAdjacentHTML("beforeend", html);
      let text = "";
      for (let node = last ? last.nextSibling : target.firstChild; node; node = node.nextSibling) {
        text += ` ${node.textContent}`;
      }
      announce(options.liveAnnounce || text.replace(/\s+/g, " ").trim().slice(0, 300));
    }

    function onEvent(event) {
      const data = parse(event);
      if (target && data.fragment_url) {
        // One after the other, so replies keep their order.
        appended = appended.then(() => append(data)).catch(() => {});
        return;
      }
      count += 1;
      if (counter) counter.textContent = String(count);
      const many = options.liveBannerMany || "";
      showBanner(count === 1 ? options.liveBannerOne || many.replace("{n}", "1") : many.replace("{n}", String(count)));
    }

    function connect() {
      const url = new URL(options.liveUrl, window.location.href);
      if (lastId) url.searchParams.set("last_event_id", lastId);
      const source = new EventSource(url);
      names.forEach((name) => source.addEventListener(name, onEvent));
      source.addEventListener("resync", (event) => {
        parse(event);
        showBanner(options.liveBannerResync);
      });
      // The server says this page may no longer listen.
      source.addEventListener("end", () => source.close());
      source.addEventListener("open", () => { delay = FIRST_DELAY; });
      source.addEventListener("error", () => {
        // While CONNECTING the browser retries by itself; CLOSED (an error status, such
        // as 503) is final for it, so try again later, waiting longer each time.
        if (source.readyState !== EventSource.CLOSED) return;
        window.setTimeout(connect, delay * (0.5 + Math.random()));
        delay = Math.min(delay * 2, LONGEST_DELAY);
      });
    }

    connect();
  }

  function start() {
    document.querySelectorAll("[data-live-url]").forEach(listen);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
