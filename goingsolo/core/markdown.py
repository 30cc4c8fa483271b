"""Markdown for posts and wiki pages: one parser, one sanitiser, one set of extensions.

The text is parsed once by markdown-it-py (CommonMark, tables, strikethrough, linkify, line
breaks kept as in a chat) with raw HTML escaped as text, then the HTML is sanitised by nh3
with an explicit allow-list. The sanitiser is the last word: whatever the parser or an
extension lets through, only the tags, attributes and URL schemes listed here survive.

Two extensions are parsed always and rendered according to the caller:

- ``@name`` mentions become links when ``mention_url`` resolves the name;
- ``[[Page name]]`` and ``[[Page name|label]]`` become links when ``wiki_link_url`` is given.

Both are inline rules, so code spans, code blocks and link texts never hold one, and
``extract_mentions`` / ``extract_wiki_links`` see exactly what the renderer sees.

Parsing costs up to 30 µs a character on adversarial text ("![" repeated), so it has
bounds (docs/security.md, "Expensive pages"): text past GOINGSOLO_MARKDOWN_MAX_CHARS or
GOINGSOLO_MARKDOWN_MAX_LINES is shown as escaped text, line by line; a paragraph longer than
GOINGSOLO_MARKDOWN_BLOCK_MAX_CHARS, or any paragraph once GOINGSOLO_MARKDOWN_MAX_SECONDS
have passed, keeps its text and line breaks but not its inline markup. Nothing is lost.
"""

import html
import re
import time
from collections.abc import Callable, Iterable, Sequence

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

MentionUrl = Callable[[str], str | None]
WikiLinkUrl = Callable[[str], tuple[str, bool]]

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
        "a", "img", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td", "hr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    # A list that starts at 3 ("3. third") keeps its numbering.
    "ol": {"start"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
ALIGNMENTS = {"left", "center", "right"}
LINK_REL = "nofollow ugc noopener"

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    tag_attribute_values={"th": {"align": ALIGNMENTS}, "td": {"align": ALIGNMENTS}},
    allowed_classes={"a": {"mention", "wikilink", "wikilink-missing"}},
    url_schemes=set(LINK_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)

# Browsers drop ASCII tabs and newlines anywhere in a URL and control characters and
# spaces at its ends, so "java\nscript:" is "javascript:" to them: judge what they see.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_URL_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def _url_scheme_allowed(url: str, schemes: Iterable[str]) -> bool:
    """True when the URL is relative or its scheme is one of ``schemes``."""
    url = _URL_IGNORED.sub("", url).lower()
    if match := _URL_SCHEME.match(url):
        return match.group(1) in schemes
    # No scheme: relative, unless a colon comes before the path ("foo:bar" is a scheme to a
    # browser even when it is not a valid one here).
    return ":" not in url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]


# --- Inline rules -------------------------------------------------------------------------

# Letters, digits, ".", "_" and "-"; the first is a letter, a digit or "_".
_MENTION = re.compile(r"@(\w[\w.\-]*)")
# A mention starts a word: not in "a@b.c", "example.com/@name", "x=@y".
_NOT_BEFORE_MENTION = re.compile(r"[\w./@+\-=&#%:\\]")
# A character that would make a longer word of a name: "@Ann Lee" is not in "@Ann Leeds".
_NAME_GOES_ON = re.compile(r"[\w\-]")
_WIKI_LINK = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]*))?\]\]")
_WHITESPACE = re.compile(r"\s+")


def _mention_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != "@" or state.linkLevel > 0:
        return False
    if pos > 0 and _NOT_BEFORE_MENTION.match(state.src[pos - 1]):
        return False
    match = _MENTION.match(state.src, pos, state.posMax)
    if match is None:
        return False
    name = match.group(1).rstrip(".-")
    end = pos + 1 + len(name)
    # A name of several words ("@Oliver Hartley") is one mention when the caller knows it
    # (extract_mentions / render_markdown's mention_names); the longest one written wins.
    for full_name in state.env.get("mention_names", ()):
        full_end = pos + 1 + len(full_name)
        if (
            len(full_name) > len(name)
            and full_end <= state.posMax
            and state.src[pos + 1 : full_end].lower() == full_name.lower()
            and (full_end == state.posMax or not _NAME_GOES_ON.match(state.src[full_end]))
        ):
            name, end = state.src[pos + 1 : full_end], full_end
    if end < state.posMax and state.src[end] == "@":
        return False  # an email address such as @bob@example.com
    if not silent:
        token = state.push("mention", "", 0)
        token.content = "@" + name
        token.meta = {"name": name}
    state.pos = end
    return True


def _wiki_link_rule(state: StateInline, silent: bool) -> bool:
    # Silent mode only serves to find where a link's text ends: there "[[" is two brackets,
    # so "[see [[Home]]](https://…)" stays one ordinary link (whose text holds no link).
    pos = state.pos
    if silent or not state.src.startswith("[[", pos) or state.linkLevel > 0:
        return False
    match = _WIKI_LINK.match(state.src, pos, state.posMax)
    if match is None:
        return False
    title = _WHITESPACE.sub(" ", match.group(1)).strip()
    if not title:
        return False
    label = _WHITESPACE.sub(" ", match.group(2) or "").strip() or title
    token = state.push("wikilink", "", 0)
    token.content = match.group(0)
    token.meta = {"title": title, "label": label}
    state.pos = match.end()
    return True


# --- Render rules ---------------------------------------------------------------------------
# Each receives the renderer as ``self`` (markdown-it binds them as methods).


def _render_mention(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    resolve: MentionUrl | None = env.get("mention_url")
    if resolve is not None and (url := resolve(token.meta["name"])):
        return f'<a class="mention" href="{escapeHtml(url)}">{escapeHtml(token.content)}</a>'
    return escapeHtml(token.content)


def _render_wiki_link(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    resolve: WikiLinkUrl | None = env.get("wiki_link_url")
    if resolve is None:
        return escapeHtml(token.content)
    url, exists = resolve(token.meta["title"])
    if not url:
        return escapeHtml(token.meta["label"])
    css_class = "wikilink" if exists else "wikilink wikilink-missing"
    return f'<a class="{css_class}" href="{escapeHtml(url)}">{escapeHtml(token.meta["label"])}</a>'


def _render_image(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    alt = _inline_text(token.children or ())
    if not _url_scheme_allowed(str(token.attrs.get("src", "")), IMAGE_SCHEMES):
        return escapeHtml(alt)
    token.attrSet("alt", alt)
    return self.renderToken(tokens, idx, options, env)


def _render_cell_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    # markdown-it aligns cells with a style attribute; the sanitiser allows none, so say it
    # with the align attribute instead.
    token = tokens[idx]
    style = str(token.attrs.pop("style", ""))
    if style.startswith("text-align:"):
        token.attrSet("align", style.removeprefix("text-align:"))
    return self.renderToken(tokens, idx, options, env)


def _render_strikethrough(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return "<del>" if tokens[idx].nesting == 1 else "</del>"


# --- Bounds -------------------------------------------------------------------------------


def _start_clock(state: StateCore) -> None:
    state.env["deadline"] = time.monotonic() + settings.GOINGSOLO_MARKDOWN_MAX_SECONDS


def _bounded_inline(state: StateCore) -> None:
    """markdown-it's "inline" core rule, but a paragraph past the bounds stays plain text."""
    block_max = settings.GOINGSOLO_MARKDOWN_BLOCK_MAX_CHARS
    for token in state.tokens:
        if token.type != "inline":
            continue
        token.children = token.children or []
        if len(token.content) > block_max or time.monotonic() > state.env["deadline"]:
            token.children.extend(_plain_tokens(token.content))
        else:
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def _plain_tokens(text: str) -> list[Token]:
    # "text_special" rather than "text": linkify leaves it alone, the renderer escapes it.
    tokens = []
    for n, line in enumerate(text.split("\n")):
        if n:
            tokens.append(Token("softbreak", "br", 0))
        tokens.append(Token("text_special", "", 0, content=line))
    return tokens


def _split_at_bound(text: str) -> tuple[str, str]:
    """(the head parsed as Markdown, the rest shown as text), cut at a blank line, else at a
    line break, else at the bound itself. Lines are bounded too: short lines (table rows,
    headings) cost the most per character."""
    limit = settings.GOINGSOLO_MARKDOWN_MAX_CHARS
    line_break = -1
    for _ in range(settings.GOINGSOLO_MARKDOWN_MAX_LINES):
        line_break = text.find("\n", line_break + 1, limit)
        if line_break < 0:
            break
    else:
        limit = line_break + 1
    if len(text) <= limit:
        return text, ""
    cut = text.rfind("\n\n", 0, limit)
    if cut <= 0:
        cut = text.rfind("\n", 0, limit)
    if cut <= 0:
        cut = limit
    return text[:cut], text[cut:]


def _plain_html(text: str) -> str:
    """TEXT as escaped paragraphs, its line breaks kept."""
    paragraphs = (block.strip("\n") for block in text.split("\n\n"))
    return "".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in block.split("\n")) + "</p>\n"
        for block in paragraphs
        if block
    )


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("gfm-like", {"html": False, "breaks": True, "linkify": True})
    md.validateLink = lambda url: _url_scheme_allowed(url, LINK_SCHEMES)
    # Before "link", which would otherwise read "[[Page]]" as a bracketed "[Page]".
    md.inline.ruler.before("link", "wikilink", _wiki_link_rule)
    md.inline.ruler.push("mention", _mention_rule)
    md.add_render_rule("mention", _render_mention)
    md.add_render_rule("wikilink", _render_wiki_link)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("th_open", _render_cell_open)
    md.add_render_rule("td_open", _render_cell_open)
    md.add_render_rule("s_open", _render_strikethrough)
    md.add_render_rule("s_close", _render_strikethrough)
    md.core.ruler.before("normalize", "start_clock", _start_clock)
    md.core.ruler.at("inline", _bounded_inline)
    return md


_md = _build_parser()


# --- Token walking ----------------------------------------------------------------------------


def _inline_text(tokens: Iterable[Token]) -> str:
    """The text of inline tokens as a reader sees it, without markup."""
    parts = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline", "mention"):
            parts.append(token.content)
        elif token.type == "wikilink":
            parts.append(token.meta["label"])
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif token.type == "image":
            parts.append(_inline_text(token.children or ()))
    return "".join(parts)


def _inline_tokens(tokens: Iterable[Token]) -> Iterable[Token]:
    """Inline tokens of the text, outside image descriptions."""
    for token in tokens:
        if token.type == "inline":
            yield from token.children or ()


def _headings(tokens: Sequence[Token]) -> list[tuple[Token, str]]:
    """Each heading's opening token and its text."""
    return [
        (token, _WHITESPACE.sub(" ", _inline_text(tokens[i + 1].children or ())).strip())
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def _assign_anchors(tokens: Sequence[Token]) -> list[tuple[int, str, str]]:
    """Give each heading a unique slug id; returns (level, title, anchor) for each."""
    used: set[str] = set()
    # The last suffix tried per slug: a page of 50,000 equal headings stays linear.
    suffixes: dict[str, int] = {}
    contents = []
    for token, title in _headings(tokens):
        base = slugify(title) or "section"
        anchor, n = base, suffixes.get(base, 0)
        if n:
            anchor = f"{base}-{n}"
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        suffixes[base] = n
        used.add(anchor)
        token.attrSet("id", anchor)
        contents.append((int(token.tag[1]), title, anchor))
    return contents


# --- Public interface ---------------------------------------------------------------------------


def render_markdown(
    text: str,
    *,
    mention_url: MentionUrl | None = None,
    wiki_link_url: WikiLinkUrl | None = None,
    heading_anchors: bool = False,
    mention_names: Iterable[str] = (),
) -> SafeString:
    """Render Markdown to sanitised HTML, safe to insert in a page.

    ``mention_url(name)`` returns the URL of a mentioned member or None (then the mention
    stays text). ``mention_names`` are names of several words that make one mention when
    written after "@" ("@Oliver Hartley"); a mention is otherwise one word.
    ``wiki_link_url(title)`` returns ``(url, exists)`` for a wiki link. Either callable is
    called once per distinct name or link in the text. ``heading_anchors`` gives headings
    the ids that ``table_of_contents`` lists.
    """
    # Resolved once per distinct name or title: a thread often names the same member
    # many times, and each resolution may cost a query.
    env = {
        "mention_url": mention_url and _memoise(mention_url),
        "wiki_link_url": wiki_link_url and _memoise(wiki_link_url),
        "mention_names": _longest_first(mention_names),
    }
    head, rest = _split_at_bound(text or "")
    tokens = _md.parse(head, env)
    if heading_anchors:
        _assign_anchors(tokens)
    rendered = _md.renderer.render(tokens, _md.options, env)
    return mark_safe(_cleaner.clean(rendered) + _plain_html(rest))


def _memoise(function: Callable) -> Callable:
    results: dict = {}

    def memoised(argument):
        if argument not in results:
            results[argument] = function(argument)
        return results[argument]

    return memoised


def _longest_first(names: Iterable[str]) -> list[str]:
    return sorted({name for name in names if name}, key=len, reverse=True)


def extract_mentions(text: str, *, names: Iterable[str] = ()) -> list[str]:
    """Names mentioned with ``@name``, unique, in order of first mention, outside code.

    NAMES: names of several words that make one mention, as in ``render_markdown``.
    """
    env = {"mention_names": _longest_first(names)}
    found = (
        token.meta["name"]
        for token in _inline_tokens(_md.parse(_split_at_bound(text or "")[0], env))
        if token.type == "mention"
    )
    return list(dict.fromkeys(found))


def extract_wiki_links(text: str) -> list[str]:
    """Titles of the pages linked with ``[[Title]]``, unique, in order, outside code."""
    titles = (
        token.meta["title"]
        for token in _inline_tokens(_md.parse(_split_at_bound(text or "")[0]))
        if token.type == "wikilink"
    )
    return list(dict.fromkeys(titles))


def table_of_contents(text: str) -> list[tuple[int, str, str]]:
    """(level, title, anchor) of each heading, anchors as ``heading_anchors=True`` renders."""
    return _assign_anchors(_md.parse(_split_at_bound(text or "")[0]))


_BLANKS = re.compile(r"[^\S\n]+")


def _tidy(text: str) -> str:
    """Collapse runs of spaces and strip each line; drop empty lines."""
    lines = (_BLANKS.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def render_plain(text: str) -> str:
    """The text without Markdown markup, for emails' text parts and search snippets.

    Blocks (paragraphs, headings, quotes, code blocks) are separated by a blank line; items
    of a tight list and rows of a table each take one line; line breaks inside a paragraph
    are kept. Links show their text, images their description.
    """
    head, rest = _split_at_bound(text or "")
    tokens = _md.parse(head)
    blocks: list[tuple[str, bool]] = []  # (text, is a line of a run of lines)
    row: list[str] | None = None
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            blocks.append((" | ".join(row), True))
            row = None
        elif token.type == "inline":
            content = _tidy(_inline_text(token.children or ()))
            if row is not None:
                row.append(content.replace("\n", " "))
            elif content:
                in_tight_list = (
                    i > 0 and tokens[i - 1].type == "paragraph_open" and tokens[i - 1].hidden
                )
                blocks.append((content, in_tight_list))
        elif token.type in ("fence", "code_block"):
            content = token.content.strip("\n")
            if content.strip():
                blocks.append((content, False))
    if rest.strip("\n"):
        blocks.append((rest.strip("\n"), False))
    out: list[str] = []
    for n, (content, is_line) in enumerate(blocks):
        if n:
            out.append("\n" if is_line and blocks[n - 1][1] else "\n\n")
        out.append(content)
    return "".join(out)


_EXTERNAL_LINK = re.compile(r'(?:href|src)="(https?://[^"]*)"', re.IGNORECASE)


def external_links(text):
    """The http(s) links and images of the Markdown TEXT, as the renderer outputs them:
    what the trust levels count (`groups.trust.ALLOWED`, links per post or edit)."""
    return _EXTERNAL_LINK.findall(str(render_markdown(text)))
