// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // The language switcher applies the choice at once; without JavaScript its button does.
  document.querySelectorAll(".language-switcher select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // The header's menu is a <details> disclosure. On a wide screen its links show in the
  // row: the stylesheet does it where browsers style a disclosure's content, and this opens
  // it elsewhere. On a phone, Escape and a click outside close it.
  const menu = document.querySelector(".site-menu");
  if (menu) {
    const wide = window.matchMedia("(min-width: 60rem)");
    const styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
    const fit = () => {
      if (!styled) menu.open = wide.matches;
    };
    fit();
    wide.addEventListener("change", () => {
      if (styled) menu.open = false;
      fit();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.open && !wide.matches) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (menu.open && !wide.matches && !menu.contains(event.target)) menu.open = false;
    });
  }

  // "Back to the previous page" on pages rendered without the request (the 500 page).
  document.querySelectorAll("[data-history-back]").forEach((item) => {
    if (window.history.length < 2) return;
    item.hidden = false;
    item.querySelector("a").addEventListener("click", (event) => {
      event.preventDefault();
      window.history.back();
    });
  });
});
