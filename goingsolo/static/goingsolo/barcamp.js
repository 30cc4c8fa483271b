// Barcamp pages (docs/barcamp.md). Progressive enhancement: every page works without it.
// - The organiser's grid: drag a session onto a cell; the drop posts the same form as the
//   cell select (htmx swaps the grid with its new figures).
// - The board: listens to the barcamp's server-sent events and fetches its grid again
//   when the grid changes, and once a minute (what is "now" moves with the clock).
(() => {
  "use strict";

  // --- The grid: drag and drop -----------------------------------------------------------
  function csrfToken(form) {
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUpDragAndDrop() {
    let dragged = null;
    document.addEventListener("dragstart", (event) => {
      const item = event.target.closest && event.target.closest(".grid-session[draggable=true]");
      if (!item) return;
      dragged = item;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.id);
    });
    document.addEventListener("dragover", (event) => {
      const cell = dragged && event.target.closest && event.target.closest("td[data-cell]");
      if (!cell) return;
      event.preventDefault();
      cell.classList.add("drop-target");
    });
    document.addEventListener("dragleave", (event) => {
      const cell = event.target.closest && event.target.closest("td[data-cell]");
      if (cell) cell.classList.remove("drop-target");
    });
    document.addEventListener("drop", (event) => {
      const cell = dragged && event.target.closest && event.target.closest("td[data-cell]");
      if (!cell) return;
      event.preventDefault();
      cell.classList.remove("drop-target");
      const select = dragged.querySelector("select[name=cell]");
      dragged = null;
      if (!select) return;
      // The select and its form do the move: the same request as without dragging.
      select.value = cell.dataset.cell;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    document.addEventListener("dragend", () => { dragged = null; });
  }

  // --- The board ---------------------------------------------------------------------------
  function setUpBoard(board) {
    const fragmentUrl = board.dataset.boardFragment;
    let refreshing = false;

    async function refresh() {
      if (refreshing) return;
      refreshing = true;
      try {
        const response = await fetch(fragmentUrl, { credentials: "same-origin" });
        if (!response.ok) return;
        const html = await response.text();
        const current = document.getElementById("board-grid");
        if (current) current.outerHTML = html;  // rendered and escaped by the server
      } finally {
        refreshing = false;
      }
    }

    const clock = board.querySelector("[data-board-clock]");
    function tick() {
      if (clock) {
        // The event's clock, 24-hour, as the grid writes its times.
        clock.textContent = new Date().toLocaleTimeString(document.documentElement.lang, {
          hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: clock.dataset.timeZone,
        });
      }
    }
    tick();
    window.setInterval(tick, 10000);
    window.setInterval(refresh, 60000);

    if (!("EventSource" in window)) return;
    let delay = 1000;
    function connect() {
      const source = new EventSource(board.dataset.boardEvents);
      source.addEventListener("grid.changed", () => { refresh(); });
      source.addEventListener("resync", () => { refresh(); });
      source.addEventListener("open", () => { delay = 1000; });
      source.addEventListener("end", () => { source.close(); });
      source.addEventListener("error", () => {
        if (source.readyState === EventSource.CLOSED) {
          window.setTimeout(connect, delay);
          delay = Math.min(delay * 2, 60000);
        }
      });
    }
    connect();
  }

  function start() {
    if (document.querySelector("[data-move-cell]")) setUpDragAndDrop();
    const board = document.querySelector("[data-board-events]");
    if (board) setUpBoard(board);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
