import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from goingsolo.core.markdown import (
    extract_mentions,
    extract_wiki_links,
    render_markdown,
    render_plain,
    table_of_contents,
)
from tests.xss_payloads import PAYLOADS, assert_html_is_safe

MEMBERS = {"alice", "bob.martin", "zoé"}
PAGES = {"Home", "Getting started"}


def member_url(name):
    return f"/members/{name}/" if name in MEMBERS else None


def wiki_url(title):
    return f"/wiki/{title.replace(' ', '-').lower()}/", title in PAGES


def render_all(text, **options):
    return render_markdown(text, mention_url=member_url, wiki_link_url=wiki_url, **options)


# --- Safety -----------------------------------------------------------------------------


def test_there_are_enough_payloads_for_other_features_to_reuse():
    assert len(PAYLOADS) >= 40


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_hostile_payload_renders_to_safe_html(payload):
    assert_html_is_safe(render_all(payload, heading_anchors=True))


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_hostile_payload_renders_to_safe_html_through_the_template_filter(payload):
    assert_html_is_safe(
        Template("{% load markdown %}{{ text|markdown }}").render(Context({"text": payload}))
    )


def test_the_safety_check_catches_what_it_must():
    for html in [
        "<script>x</script>",
        '<a href="javascript:alert(1)" rel="nofollow ugc noopener">x</a>',
        '<a href="java\nscript:alert(1)" rel="nofollow ugc noopener">x</a>',
        '<img src="data:text/html,x">',
        '<img src="x" onerror="alert(1)">',
        '<p style="color:red">x</p>',
        '<a href="/x">no rel</a>',
        "<svg></svg>",
    ]:
        with pytest.raises(AssertionError):
            assert_html_is_safe(html)


def test_raw_html_is_shown_as_text_never_passed_through():
    html = render_markdown('<b onclick="x()">bold</b> <!-- hidden -->')
    assert "&lt;b onclick" in html
    assert "<b" not in html
    assert "&lt;!-- hidden --&gt;" in html


def test_output_is_a_safe_string():
    assert isinstance(render_markdown("*hi*"), SafeString)
    assert isinstance(render_markdown(""), SafeString)


def test_template_syntax_stays_text():
    html = Template("{% load markdown %}{{ text|markdown }}").render(
        Context({"text": "{{ 7*7 }} {% debug %}"})
    )
    assert html == "<p>{{ 7*7 }} {% debug %}</p>\n"


# --- Markdown ---------------------------------------------------------------------------


def test_commonmark_emphasis_code_and_lists():
    html = render_markdown("**bold** *em* `code`\n\n- one\n- two\n\n3. three\n4. four")
    assert "<strong>bold</strong> <em>em</em> <code>code</code>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">' in html


def test_line_breaks_are_kept_as_in_a_chat():
    assert render_markdown("first line\nsecond line") == "<p>first line<br>\nsecond line</p>\n"


def test_strikethrough_renders_as_del():
    assert render_markdown("~~gone~~") == "<p><del>gone</del></p>\n"


def test_tables_keep_their_alignment_without_style_attributes():
    html = render_markdown("| left | right |\n|:-----|------:|\n| a | b |")
    assert '<th align="left">left</th>' in html
    assert '<td align="right">b</td>' in html
    assert "style" not in html


def test_fenced_code_is_escaped_and_unstyled():
    html = render_markdown("```python\nif a < b:\n    pass\n```")
    assert html == "<pre><code>if a &lt; b:\n    pass\n</code></pre>\n"


def test_links_get_rel_and_do_not_open_new_windows():
    html = render_markdown('[site](https://example.com "The site")')
    assert html == (
        '<p><a href="https://example.com" title="The site" rel="nofollow ugc noopener">'
        "site</a></p>\n"
    )
    assert "target" not in html


def test_bare_urls_and_emails_become_links():
    html = render_markdown("See https://example.com/page or www.example.org, write to a@b.fr")
    assert '<a href="https://example.com/page" rel="nofollow ugc noopener">' in html
    assert (
        '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>' in html
    )
    assert '<a href="mailto:a@b.fr" rel="nofollow ugc noopener">a@b.fr</a>' in html


def test_relative_and_mailto_links_are_kept():
    html = render_markdown("[here](/groups/solo/) [anchor](#top) [mail](mailto:a@b.fr)")
    assert 'href="/groups/solo/"' in html
    assert 'href="#top"' in html
    assert 'href="mailto:a@b.fr"' in html


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](jav&#x61;script:alert(1))",
        "[x](ftp://example.com/file)",
        "[x](tel:+41000000)",
    ],
)
def test_links_with_other_schemes_stay_text(text):
    html = render_markdown(text)
    assert "<a" not in html
    assert text.split("(")[0] in html


def test_images_from_the_web_or_our_media_are_shown():
    html = render_markdown("![a cat](https://example.com/cat.png) ![logo](/media/logo.png)")
    assert '<img src="https://example.com/cat.png" alt="a cat">' in html
    assert '<img src="/media/logo.png" alt="logo">' in html


@pytest.mark.parametrize(
    "src",
    ["data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)", "mailto:a@b.fr", "ftp://x/y.png"],
)
def test_images_from_other_sources_are_not_shown(src):
    assert "<img" not in render_markdown(f"![pic]({src})")


def test_a_reply_quotes_an_earlier_post_with_a_blockquote():
    html = render_markdown("> Who comes to Leeds?\n> Bring stickers.\n\nI do!")
    assert html == (
        "<blockquote>\n<p>Who comes to Leeds?<br>\nBring stickers.</p>\n</blockquote>\n"
        "<p>I do!</p>\n"
    )


def test_null_bytes_are_replaced():
    assert "\x00" not in render_markdown("a\x00b")


# --- Mentions ---------------------------------------------------------------------------


def test_mention_of_a_member_links_to_their_profile():
    html = render_all("Thanks @alice!")
    assert html == (
        '<p>Thanks <a class="mention" href="/members/alice/" rel="nofollow ugc noopener">'
        "@alice</a>!</p>\n"
    )


def test_mention_of_an_unknown_name_stays_text():
    assert render_all("Hi @nobody") == "<p>Hi @nobody</p>\n"


def test_mentions_stay_text_without_a_resolver():
    assert render_markdown("Hi @alice") == "<p>Hi @alice</p>\n"


def test_mention_names_take_dots_dashes_and_accents_but_not_a_final_dot():
    html = render_all("Ask @bob.martin. Or @zoé.")
    assert 'href="/members/bob.martin/"' in html
    assert 'href="/members/zo%C3%A9/"' in html or 'href="/members/zoé/"' in html
    assert "</a>. Or" in html


def test_no_mention_in_code_links_or_email_addresses():
    text = "`@alice` [ask @alice](https://example.com) alice@example.com x@alice.fr\n\n    @alice"
    html = render_all(text)
    assert 'class="mention"' not in html
    assert extract_mentions(text) == []


def test_mention_in_emphasis_or_parentheses():
    html = render_all("**@alice** (@bob.martin)")
    assert html.count('class="mention"') == 2


def test_each_mentioned_name_is_resolved_once():
    calls = []

    def resolve(name):
        calls.append(name)
        return f"/members/{name}/"

    render_markdown("@alice @alice @bob and @alice", mention_url=resolve)
    assert calls == ["alice", "bob"]


def test_extract_mentions_gives_unique_names_in_order_outside_code():
    text = "@bob.martin, @alice and @bob.martin again\n\n```\n@carol\n```\n\nbye @dave."
    assert extract_mentions(text) == ["bob.martin", "alice", "dave"]


# --- Wiki links -------------------------------------------------------------------------


def test_wiki_link_to_an_existing_page():
    assert render_all("See [[Home]].") == (
        '<p>See <a class="wikilink" href="/wiki/home/" rel="nofollow ugc noopener">Home</a>.</p>\n'
    )


def test_wiki_link_with_a_label_to_a_missing_page_is_marked_missing():
    html = render_all("[[Barcamp notes|the notes]]")
    assert html == (
        '<p><a class="wikilink wikilink-missing" href="/wiki/barcamp-notes/" '
        'rel="nofollow ugc noopener">the notes</a></p>\n'
    )


def test_wiki_links_stay_text_without_a_resolver():
    assert render_markdown("[[Home|start]]") == "<p>[[Home|start]]</p>\n"


def test_no_wiki_link_in_code():
    text = "`[[Home]]`\n\n```\n[[Getting started]]\n```"
    assert "wikilink" not in render_all(text)
    assert extract_wiki_links(text) == []


def test_extract_wiki_links_gives_unique_titles_in_order():
    text = "[[Getting  started]], [[Home|home page]] and [[Getting started|again]]"
    assert extract_wiki_links(text) == ["Getting started", "Home"]


def test_ordinary_links_still_work_beside_wiki_links():
    html = render_all("[[Home]] and [site](https://example.com)")
    assert 'class="wikilink"' in html
    assert '<a href="https://example.com" rel="nofollow ugc noopener">site</a>' in html


def test_a_wiki_link_inside_an_ordinary_link_is_the_link_text():
    html = render_all("[see [[Home]]](https://example.com)")
    assert html == (
        '<p><a href="https://example.com" rel="nofollow ugc noopener">see [[Home]]</a></p>\n'
    )


# --- Headings ---------------------------------------------------------------------------

LONG_PAGE = """\
# Going Solo Lausanne

## Programme

### Événements à venir

## Programme

## *Where* to find @alice
"""


def test_headings_have_no_ids_unless_asked():
    assert render_markdown("## Programme") == "<h2>Programme</h2>\n"


def test_heading_anchors_are_unique_slugs():
    html = render_all(LONG_PAGE, heading_anchors=True)
    assert '<h1 id="going-solo-lausanne">' in html
    assert '<h2 id="programme">' in html
    assert '<h3 id="evenements-a-venir">' in html
    assert '<h2 id="programme-1">' in html
    assert '<h2 id="where-to-find-alice">' in html


def test_table_of_contents_matches_the_rendered_anchors():
    contents = table_of_contents(LONG_PAGE)
    assert contents == [
        (1, "Going Solo Lausanne", "going-solo-lausanne"),
        (2, "Programme", "programme"),
        (3, "Événements à venir", "evenements-a-venir"),
        (2, "Programme", "programme-1"),
        (2, "Where to find @alice", "where-to-find-alice"),
    ]
    html = render_all(LONG_PAGE, heading_anchors=True)
    for _level, _title, anchor in contents:
        assert f'id="{anchor}"' in html


def test_heading_with_no_latin_letters_still_gets_an_anchor():
    assert table_of_contents("# ???\n# ???") == [(1, "???", "section"), (1, "???", "section-1")]


# --- Plain text -------------------------------------------------------------------------


def test_render_plain_drops_markup_and_keeps_paragraphs():
    text = (
        "# Meetup\n\n"
        "Some **bold**   and _light_ text\nwith a [link](https://example.com).\n\n"
        "- laptop\n- stickers\n\n"
        "> quoted\n\n"
        "```\ncode\n  indented\n```\n\n"
        "![the venue](/media/venue.png) &amp; [[Home|the wiki]], @alice"
    )
    assert render_plain(text) == (
        "Meetup\n\n"
        "Some bold and light text\nwith a link.\n\n"
        "laptop\nstickers\n\n"
        "quoted\n\n"
        "code\n  indented\n\n"
        "the venue & the wiki, @alice"
    )


def test_render_plain_puts_table_rows_on_lines():
    assert render_plain("| a | b |\n|---|---|\n| 1 | 2 |") == "a | b\n1 | 2"


def test_render_plain_of_hostile_text_is_the_text():
    assert render_plain("<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert render_plain("") == ""


# --- Template filter --------------------------------------------------------------------


def test_template_filter_renders_without_mentions_or_wiki_links():
    html = Template("{% load markdown %}{{ text|markdown }}").render(
        Context({"text": "**Hi** @alice, see [[Home]]"})
    )
    assert html == "<p><strong>Hi</strong> @alice, see [[Home]]</p>\n"


def test_template_filter_accepts_none():
    assert Template("{% load markdown %}{{ text|markdown }}").render(Context({"text": None})) == ""
