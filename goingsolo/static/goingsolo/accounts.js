// The member's time zone, guessed from the browser. The pages work without this file.
// - Sign-up: a hidden field (data-guess-time-zone="always") receives the browser's zone.
// - Profile form: a member still on UTC, the zone everyone starts with
//   (data-guess-time-zone="unset"), finds the browser's zone in the field and a note saying
//   where it came from; saving the form keeps it. The server maps aliases ("Asia/Calcutta")
//   to the zone it offers (goingsolo/core/time_zones.py).
(() => {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function guess() {
    const zone = browserZone();
    if (!zone) return;
    document.querySelectorAll("input[data-guess-time-zone]").forEach((input) => {
      if (input.dataset.guessTimeZone === "always") {
        if (!input.value) input.value = zone;
        return;
      }
      // Only a form as the server sent it: what the member typed stays.
      if (input.value !== input.defaultValue || !["", "UTC"].includes(input.value)) return;
      if (zone === input.value || zone === "Etc/UTC") return;
      input.value = zone;
      const note = document.getElementById(input.id + "_guess");
      if (note) note.hidden = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", guess);
  } else {
    guess();
  }
})();
