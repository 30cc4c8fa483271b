// Small enhancements of the discussion pages; every one of them works without this file:
// - @mentions: members of the group offered while typing "@" in a message (a listbox), by
//   the start of their handle or of a word of their name; choosing one inserts "@handle",
//   which the server resolves to exactly that member (goingsolo/discussions/mentions.py).
//   The message box stays a plain multi-line text box: ARIA gives a textarea no
//   aria-expanded (nor the combobox role), so the box points at the highlighted member with
//   aria-activedescendant, and a polite status says when members are offered and how to
//   choose one (docs/accessibility.md);
// - quoting the passage selected in a post, rather than the whole post;
// - after a reply posted in place (htmx), focus goes to the new post;
// - the reactions offered in place next to a post's "React" link.
(() => {
  "use strict";

  // --- Mentions ---------------------------------------------------------------------------
  // What the server reads as a mention (goingsolo/core/markdown.py): a letter, digit or "_",
  // then those, ".", "-". Letters of any alphabet: "@Élo" finds Élodie by her name.
  const BEFORE_CARET = /(^|[\s(>])@([\p{L}\p{N}_][\p{L}\p{N}._-]{0,39})$/u;
  const state = { textarea: null, list: null, status: null, items: [], active: -1, start: -1, timer: null, request: null };

  function mentionsUrl(textarea) {
    const form = textarea.form;
    return form && form.dataset.mentionsUrl ? form.dataset.mentionsUrl : null;
  }

  // Each message box gets a wrapper that places the listbox right under it.
  function prepare(root) {
    root.querySelectorAll("form[data-mentions-url] textarea[name=body]").forEach((textarea) => {
      if (textarea.parentElement.classList.contains("mention-field")) return;
      const wrapper = document.createElement("div");
      wrapper.className = "mention-field";
      textarea.insertAdjacentElement("beforebegin", wrapper);
      wrapper.append(textarea);
      const list = document.createElement("ul");
      list.id = textarea.id + "-mentions";
      list.className = "mention-list";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", textarea.form.dataset.mentionsLabel || "Members");
      list.hidden = true;
      const status = document.createElement("span");
      status.id = textarea.id + "-mentions-status";
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      wrapper.append(list, status);
      textarea.setAttribute("aria-autocomplete", "list");
      textarea.setAttribute("aria-controls", list.id);
    });
  }

  function listFor(textarea) {
    prepare(textarea.form);
    return document.getElementById(textarea.id + "-mentions");
  }

  function close() {
    if (state.list) {
      state.list.hidden = true;
      state.list.replaceChildren();
    }
    if (state.status) state.status.textContent = "";
    if (state.textarea) {
      state.textarea.removeAttribute("aria-activedescendant");
    }
    state.items = [];
    state.active = -1;
  }

  function highlight(index) {
    state.active = index;
    state.items.forEach((item, i) => item.setAttribute("aria-selected", i === index ? "true" : "false"));
    if (index >= 0) {
      state.textarea.setAttribute("aria-activedescendant", state.items[index].id);
      state.items[index].scrollIntoView({ block: "nearest" });
    } else {
      state.textarea.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    const item = state.items[index];
    if (!item) return;
    const textarea = state.textarea;
    const caret = textarea.selectionStart;
    const before = textarea.value.slice(0, state.start) + "@" + item.dataset.handle + " ";
    textarea.value = before + textarea.value.slice(caret);
    textarea.setSelectionRange(before.length, before.length);
    close();
    textarea.focus();
  }

  function show(textarea, members) {
    const list = listFor(textarea);
    const opening = list.hidden;
    state.textarea = textarea;
    state.list = list;
    state.status = document.getElementById(textarea.id + "-mentions-status");
    list.replaceChildren();
    state.items = members.map((member, i) => {
      const item = document.createElement("li");
      item.id = list.id + "-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.handle = member.handle;
      const name = document.createElement("span");
      name.textContent = member.name;
      const handle = document.createElement("span");
      handle.className = "handle";
      handle.textContent = "@" + member.handle;
      item.append(name, handle);
      // mousedown, not click: the textarea keeps the focus.
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(i);
      });
      list.append(item);
      return item;
    });
    if (!state.items.length) {
      close();
      return;
    }
    list.hidden = false;
    // Said once as the list opens, not at each letter typed.
    if (opening && state.status) state.status.textContent = textarea.form.dataset.mentionsHint || "";
    highlight(0);
  }

  function lookUp(textarea) {
    const url = mentionsUrl(textarea);
    if (!url) return;
    const caret = textarea.selectionStart;
    const match = BEFORE_CARET.exec(textarea.value.slice(0, caret));
    if (!match) {
      close();
      return;
    }
    state.start = caret - match[2].length - 1;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      if (state.request) state.request.abort();
      state.request = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(match[2]), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: state.request.signal,
      })
        .then((response) => (response.ok ? response.json() : []))
        .then((members) => show(textarea, Array.isArray(members) ? members : []))
        .catch(() => {});
    }, 150);
  }

  function isMessageField(target) {
    return target instanceof HTMLTextAreaElement && target.name === "body" && mentionsUrl(target);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => prepare(document));
  } else {
    prepare(document);
  }
  // A reply form sent back by htmx (fresh, or with errors) is new content.
  document.addEventListener("htmx:load", (event) => prepare(event.detail.elt.parentElement || document));

  document.addEventListener("input", (event) => {
    if (isMessageField(event.target)) lookUp(event.target);
  });

  document.addEventListener("keydown", (event) => {
    if (!isMessageField(event.target) || !state.items.length || event.target !== state.textarea) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((state.active + 1) % state.items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight((state.active - 1 + state.items.length) % state.items.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && state.active >= 0) {
      event.preventDefault();
      choose(state.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  document.addEventListener("focusout", (event) => {
    if (event.target === state.textarea) setTimeout(close, 100);
  });

  // --- Quoting a selected passage -------------------------------------------------------------
  let pending = null;

  function selectedTextIn(body) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return "";
    if (!body.contains(selection.anchorNode) || !body.contains(selection.focusNode)) return "";
    return selection.toString().trim();
  }

  // The selection is read before the click that would clear it.
  document.addEventListener("pointerdown", (event) => {
    const link = event.target.closest && event.target.closest(".quote-link");
    if (!link) return;
    const body = link.closest(".post").querySelector(".post-body");
    pending = { link, text: body ? selectedTextIn(body) : "" };
  }, true);

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest(".quote-link");
    if (!link) return;
    const form = document.querySelector("#reply form");
    const body = link.closest(".post").querySelector(".post-body");
    let text = pending && pending.link === link ? pending.text : "";
    pending = null;
    if (!text && body) text = selectedTextIn(body);
    // Without a selection, or without a reply form on this page, the link does it.
    if (!form || !text) return;
    event.preventDefault();
    const textarea = form.querySelector("textarea[name=body]");
    const quoted = text.split(/\r?\n/).map((line) => (line.trim() ? "> " + line : ">")).join("\n");
    const author = link.dataset.author ? "**" + link.dataset.author + ":**\n" : "";
    const current = textarea.value.replace(/\s+$/, "");
    textarea.value = (current ? current + "\n\n" : "") + author + quoted + "\n\n";
    const quotedPost = form.querySelector("input[name=quoted_post]");
    if (quotedPost) quotedPost.value = link.dataset.post;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  });

  // --- Reactions: the page's one picker, shown next to a post's "React" link ----------------
  // Without this (or htmx), the link opens the post's page of reactions.
  function closePicker(link) {
    const picker = link.nextElementSibling;
    if (picker && picker.classList.contains("react-picker")) picker.remove();
    link.setAttribute("aria-expanded", "false");
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest(".react-link");
    const template = document.getElementById("reaction-picker");
    if (!link || !template || !window.htmx) return;
    event.preventDefault();
    if (link.getAttribute("aria-expanded") === "true") {
      closePicker(link);
      return;
    }
    const picker = template.content.querySelector(".react-picker").cloneNode(true);
    picker.action = link.href;
    picker.setAttribute("hx-post", link.href);
    picker.setAttribute("hx-target", link.dataset.target);
    picker.setAttribute("hx-swap", "innerHTML");
    link.after(picker);
    link.setAttribute("aria-expanded", "true");
    window.htmx.process(picker);
    picker.querySelector("button").focus();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const picker = event.target.closest && event.target.closest(".react-picker");
    const link = picker && picker.previousElementSibling;
    if (!link || !link.classList.contains("react-link")) return;
    closePicker(link);
    link.focus();
  });

  // --- Posts that arrive live (live.js) get htmx's in-place reactions too ----------------------
  const posts = document.getElementById("posts");
  if (posts && window.MutationObserver) {
    new MutationObserver((changes) => {
      if (!window.htmx) return;
      changes.forEach((change) => change.addedNodes.forEach((node) => {
        if (node.nodeType === Node.ELEMENT_NODE) window.htmx.process(node);
      }));
    }).observe(posts, { childList: true });
  }

  // --- After a reply posted in place ----------------------------------------------------------
  // The reply's own live event may have added it already (live.js), or add it while the
  // answer is on its way: keep one copy of each post, then focus the new one.
  function dropDuplicatePosts(list) {
    const seen = new Set();
    list.querySelectorAll("article.post").forEach((article) => {
      if (seen.has(article.id)) {
        (article.closest("li") || article).remove();
      } else {
        seen.add(article.id);
      }
    });
  }

  if (posts && window.MutationObserver) {
    new MutationObserver(() => dropDuplicatePosts(posts)).observe(posts, { childList: true });
  }

  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail && event.detail.target;
    if (!target || target.id !== "posts") return;
    const answer = (event.detail.xhr && event.detail.xhr.responseText) || "";
    const match = /id="(post-\d+)"/.exec(answer);
    const article = match && document.getElementById(match[1]);
    if (article) {
      article.classList.add("just-posted");
      article.focus();
    }
  });
})();
