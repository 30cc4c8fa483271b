// Barcamp pages (docs/barcamp.md). Progressive enhancement: every page works without it.
// - The organiser's grid: drag a session onto a cell; the drop posts the same form as the
//   cell select (htmx swaps the grid with its new figures).
// - The grid: fetched again when proposals, wishes or the grid change (server-sent events).
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

  // --- Live: the barcamp's server-sent events ------------------------------------------------
  // Calls onChange for each of the named events and after a resync (events were missed);
  // reconnects with a growing delay when the stream closes.
  function listen(url, names, onChange) {
    if (!("EventSource" in window)) return;
    let delay = 1000;
    function connect() {
      const source = new EventSource(url);
      for (const name of [...names, "resync"]) source.addEventListener(name, () => { onChange(); });
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

  // Replaces the element of id ID with the HTML at URL (rendered and escaped by the server).
  async function fetchInto(url, id) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    const html = await response.text();
    const current = document.getElementById(id);
    if (current) current.outerHTML = html;
  }

  // --- The organiser's grid: new proposals, votes and moves show at once -----------------------
  // The grid is not replaced under the organiser's hands: while a session is dragged or a
  // control inside the grid has the focus, the refresh waits until they let go. A room
  // voting at once sends many events: one fetch at most every two seconds.
  function setUpGridRefresh(holder) {
    let pending = false;
    let dragging = false;
    let timer = null;
    const busy = () => dragging || holder.contains(document.activeElement);
    async function fetchGrid() {
      timer = null;
      if (busy()) { pending = true; return; }
      pending = false;
      await fetchInto(holder.dataset.gridFragment, "grid");
      if (window.htmx) window.htmx.process(holder);
    }
    function refresh() {
      if (timer === null) timer = window.setTimeout(fetchGrid, 2000);
    }
    function whenFree() { if (pending) window.setTimeout(() => { if (!busy()) fetchGrid(); }, 0); }
    document.addEventListener("dragstart", () => { dragging = true; });
    document.addEventListener("dragend", () => { dragging = false; whenFree(); });
    holder.addEventListener("focusout", whenFree);
    listen(holder.dataset.gridEvents, ["sessions.changed", "grid.changed"], refresh);
  }

  // --- The board ---------------------------------------------------------------------------
  function setUpBoard(board) {
    const fragmentUrl = board.dataset.boardFragment;
    let refreshing = false;

    async function refresh() {
      if (refreshing) return;
      refreshing = true;
      try {
        await fetchInto(fragmentUrl, "board-grid");
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

    listen(board.dataset.boardEvents, ["grid.changed"], refresh);
  }

  function start() {
    if (document.querySelector("[data-move-cell]")) setUpDragAndDrop();
    const board = document.querySelector("[data-board-events]");
    if (board) setUpBoard(board);
    const grid = document.querySelector("[data-grid-events]");
    if (grid) setUpGridRefresh(grid);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
