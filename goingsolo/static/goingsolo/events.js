// Events: click-to-load recordings, the check-in filter, printing. Every page works without.
document.addEventListener("DOMContentLoaded", () => {
  // A recording is loaded from its provider only when asked for: until the click, the
  // page makes no request to YouTube, Vimeo or PeerTube. Without JavaScript, the link
  // leads to a page that embeds the player.
  document.querySelectorAll(".video-placeholder [data-load-video]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const box = link.closest(".video-placeholder");
      const url = box.dataset.embedUrl;
      if (!url || !url.startsWith("https://")) return;
      event.preventDefault();
      const frame = document.createElement("iframe");
      frame.src = url + (url.includes("?") ? "&" : "?") + "autoplay=1";
      frame.title = box.dataset.title || "";
      frame.allow = "autoplay; fullscreen; picture-in-picture";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      box.replaceChildren(frame);
      box.classList.add("loaded");
    });
  });

  // Check-in: find a name as you type.
  document.querySelectorAll("[data-filter]").forEach((input) => {
    input.addEventListener("input", () => {
      const wanted = input.value.trim().toLowerCase();
      document.querySelectorAll(input.dataset.filter).forEach((item) => {
        const name = item.dataset.name || "";
        item.classList.toggle("hidden", wanted !== "" && !name.includes(wanted));
      });
    });
  });

  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  document.querySelectorAll("[data-select-on-focus]").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
});
