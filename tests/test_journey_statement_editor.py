"""Editors in Chromium write statement bodies with the admin's rich-text editor, by keyboard:
a Persian statement (right to left) and an English one, each with headings, a list, a link and
a quotation; they save, read the public page, reopen and edit. Text pasted from Word or from a
web page arrives clean; a page (About, Contact) gets the same editor."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from pages.models import Page
from statements.models import Statement
from tests.browser import PHONE, body_editor, log_in, paste_into_body
from tests.builders import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# What the toolbar offers, button by button, and nothing else: statements.markup keeps it all.
TOOLBAR = [
    "Heading (Ctrl+Alt+2)",
    "Subheading (Ctrl+Alt+3)",
    "Minor heading (Ctrl+Alt+4)",
    "Paragraph (Ctrl+Alt+0)",
    "Bulleted list (Ctrl+Shift+8)",
    "Numbered list (Ctrl+Shift+7)",
    "Quotation (Ctrl+Shift+B)",
    "Bold (Ctrl+B)",
    "Italic (Ctrl+I)",
    "Link (Ctrl+K)",
    "Undo (Ctrl+Z)",
    "Redo (Ctrl+Shift+Z)",
]

# Copied from Word: its namespaces, conditional comments, mso- styles, classes, spans and fonts,
# a list it fakes with a symbol, a table, an image from the disk, and a script.
FROM_WORD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<style>p.MsoNormal{mso-style-parent:"";margin:0cm;font-family:Calibri}</style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
</head><body lang=EN-GB style='tab-interval:36.0pt'>
<p class=MsoNormal style='mso-margin-top-alt:auto;line-height:115%'><span lang=EN-GB
style='font-size:12.0pt;font-family:"Times New Roman",serif;mso-fareast-font-family:Calibri'>We
call for <b style='mso-bidi-font-weight:normal'>clean</b> air.<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if
!supportLists]><span style='font-family:Symbol'>·<span style='font:7.0pt "Times New Roman"'>
&nbsp;</span></span><![endif]>Measurements<o:p></o:p></p>
<table class=MsoTableGrid border=1 style='border-collapse:collapse'><tr><td width=300
style='mso-border-alt:solid windowtext .5pt'><p class=MsoNormal>Cell one</p></td></tr></table>
<p class=MsoNormal><font face=Arial color=red>Red words</font><img src="file:///C:/x.png"
onerror="alert('image')"><script>alert('pasted script')</script></p>
</body></html>"""

# Copied from a web page: layout elements, inline styles, a class soup, a button, an iframe,
# a javascript: link and a link that opens a new window.
FROM_WEB = """<div class="article-body" style="font-family:Georgia"><h1 class="title">Why
now</h1><div data-track="1"><span style="font-weight:700">Cities</span> must act.</div>
<button onclick="alert('button')">Share</button><iframe src="https://ads.example.com/"></iframe>
<p><a href="javascript:alert('link')">a trap</a> and <a href="https://example.org/report"
target="_blank" rel="noopener" style="color:red" class="btn">the report</a></p></div>"""

# Copied from Google Docs: bold and italic are only styles, inside a bold element whose style
# says "not bold".
FROM_GOOGLE_DOCS = """<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-1">
<p dir="ltr" style="line-height:1.38;margin-top:0pt"><span style="font-size:11pt;
font-family:Arial;font-weight:400;font-style:normal;white-space:pre-wrap;">Plain, </span><span
style="font-size:11pt;font-weight:700;font-style:normal;">bold</span><span
style="font-weight:400;"> and </span><span style="font-weight:400;font-style:italic;">italic</span>
</p></b>"""

# What the server stores from them: only the allow-listed structure and the words.
FROM_WORD_SAVED = [
    "<p>We call for <strong>clean</strong> air.</p>",
    "<p>· &nbsp;Measurements</p>",
    "<p>Cell one</p>",
    "<p>Red words</p>",
]
FROM_WEB_SAVED = [
    "<p>Why now</p>",  # the page's own title is the only level-1 heading
    "<p><strong>Cities</strong> must act.</p>",
    "<p>Share</p>",
    '<p>a trap and <a href="https://example.org/report">the report</a></p>',
]
FROM_GOOGLE_DOCS_SAVED = ["<p>Plain, <strong>bold</strong> and <em>italic</em></p>"]


@pytest.fixture
def editor():
    user = make_user("edith", password="a-long-editor-password", groups=["Editors"], is_staff=True)
    # The journey's database is emptied before each journey, and with it the pages migration's
    # grant to Editors; the statements one is made again by tests.browser.
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="pages"))
    return "edith", "a-long-editor-password"


def toolbar(page):
    return page.get_by_role("toolbar", name="Formatting")


def name_it(page, title, slug):
    page.locator("#id_title").fill(title)
    page.locator("#id_title").press("Tab")  # the admin writes a slug from the title; then ours
    page.locator("#id_slug").fill(slug)


def toolbar_buttons(page):
    """The accessible names of the toolbar's buttons, as a screen reader lists them."""
    buttons = toolbar(page).get_by_role("button")
    expect(buttons.first).to_be_visible()
    return buttons.evaluate_all("buttons => buttons.map((b) => b.getAttribute('aria-label'))")


def write_statement(page, *, heading, paragraph, items, linked, address, quotation, closing):
    """Write a body with the keyboard only: the toolbar reached with Tab, then shortcuts."""
    page.locator("#id_summary").focus()
    page.keyboard.press("Tab")
    first_button = toolbar(page).get_by_role("button").first
    expect(first_button).to_be_focused()
    page.keyboard.press("Enter")  # "Heading", and the text has the focus again
    expect(body_editor(page)).to_be_focused()
    page.keyboard.type(heading)
    page.keyboard.press("Enter")
    page.keyboard.type(paragraph)
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Shift+8")
    for item in items:
        page.keyboard.type(item)
        page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # out of the list
    page.keyboard.press("Control+Shift+b")
    page.keyboard.press("Control+i")
    page.keyboard.type(quotation)
    page.keyboard.press("Control+i")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # out of the quotation
    page.keyboard.press("Control+Alt+3")
    page.keyboard.type(closing)
    page.keyboard.press("Enter")
    # Last, a link (the dialog gives the linked words their selection back a moment after it
    # closes: nothing typed after it can race that).
    page.keyboard.type(linked)
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")
    # The link button comes on once the editor has the selection.
    expect(toolbar(page).locator("[data-name=link]")).to_have_attribute("aria-disabled", "false")
    page.keyboard.press("Control+k")
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("URL").fill(address)
    dialog.get_by_label("URL").press("Enter")
    expect(dialog).to_have_count(0)
    expect(body_editor(page).get_by_role("link", name=linked)).to_be_visible()


def expect_public_body(page, *, heading, items, linked, address, quotation, closing):
    body = page.locator(".statement .body")
    expect(body.locator("h2")).to_have_text(heading)
    expect(body.locator("ul li")).to_have_text(items)
    expect(body.get_by_role("link", name=linked)).to_have_attribute("href", address)
    expect(body.locator("blockquote em")).to_have_text(quotation)
    expect(body.locator("h3")).to_have_text(closing)


PERSIAN = {
    "heading": "خواسته‌های ما",
    "paragraph": "ما، سازمان‌های امضاکننده، خواهان هوای پاک هستیم.",
    "items": ["شفافیت در اندازه‌گیری", "پاسخ‌گویی شهرداری‌ها"],
    "linked": "گزارش کامل",
    "address": "https://example.org/fa/report",
    "quotation": "هوای پاک حق همگان است.",
    "closing": "امضاها",
}
ENGLISH = {
    "heading": "Our demands",
    "paragraph": "We, the undersigned organizations, call for clean air.",
    "items": ["Open measurements", "Accountable cities"],
    "linked": "The full report",
    "address": "https://example.org/en/report",
    "quotation": "Clean air is everyone's right.",
    "closing": "Signatories",
}


@pytest.mark.parametrize(
    ("language", "words", "direction"), [("fa", PERSIAN, "rtl"), ("en", ENGLISH, "ltr")]
)
def test_editor_writes_a_statement_by_keyboard_readers_see_its_structure(
    journey, editor, language, words, direction
):
    page = journey.open("editor")
    reader = journey.open("reader")
    log_in(page, *editor)

    page.goto(reverse("admin:statements_statement_add"))
    assert toolbar_buttons(page) == TOOLBAR
    name_it(page, f"{words['heading']} ({language})", f"clean-air-{language}")
    page.locator("#id_language").select_option(language)
    expect(body_editor(page)).to_have_attribute("dir", direction)
    expect(body_editor(page)).to_have_accessible_name("Body:")
    write_statement(page, **words)
    journey.check(page, f"{language}-statement-written")

    page.locator("input[name=_publish]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    statement = Statement.objects.get(slug=f"clean-air-{language}")
    assert statement.body == (
        f"<h2>{words['heading']}</h2><p>{words['paragraph']}</p>"
        f"<ul><li><p>{words['items'][0]}</p></li><li><p>{words['items'][1]}</p></li></ul>"
        f"<blockquote><p><em>{words['quotation']}</em></p></blockquote>"
        f"<h3>{words['closing']}</h3>"
        f'<p><a href="{words["address"]}">{words["linked"]}</a></p>'
    )

    reader.goto(statement.get_absolute_url())
    expect_public_body(reader, **{k: v for k, v in words.items() if k != "paragraph"})
    journey.check(reader, f"{language}-public-statement")

    # Reopened, the editor shows the saved structure; a change to the heading is kept.
    page.goto(reverse("admin:statements_statement_change", args=[statement.pk]))
    expect(body_editor(page).locator("h2")).to_have_text(words["heading"])
    expect(body_editor(page).locator("blockquote")).to_have_text(words["quotation"])
    body_editor(page).locator("h2").click()
    page.keyboard.press("End")
    page.keyboard.type(" 2026")
    journey.check(page, f"{language}-statement-reopened")
    page.locator("input[name=_publish]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    statement.refresh_from_db()
    assert statement.body.startswith(f"<h2>{words['heading']} 2026</h2><p>")
    reader.goto(statement.get_absolute_url())
    expect(reader.locator(".statement .body h2")).to_have_text(f"{words['heading']} 2026")


def test_text_pasted_from_word_and_from_a_web_page_arrives_clean(journey, editor):
    page = journey.open("editor")
    log_in(page, *editor)
    page.goto(reverse("admin:statements_statement_add"))
    name_it(page, "Pasted", "pasted")
    page.locator("#id_language").select_option("en")
    body_editor(page).click()
    paste_into_body(page, FROM_WORD)
    for html in (FROM_WEB, FROM_GOOGLE_DOCS):
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        paste_into_body(page, html)
    journey.check(page, "pasted")
    page.locator("input[name=_save_draft]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    body = Statement.objects.get(slug="pasted").body
    assert body == "".join(FROM_WORD_SAVED + FROM_WEB_SAVED + FROM_GOOGLE_DOCS_SAVED)


def test_page_body_gets_the_editor_on_a_phone_too(journey, editor):
    page = journey.open("editor", screen=PHONE)
    reader = journey.open("reader", screen=PHONE)
    log_in(page, *editor)
    page.goto(reverse("admin:pages_page_add"))
    name_it(page, "مأموریت ما", "mission")
    page.locator("#id_language").select_option("fa")
    expect(body_editor(page)).to_have_attribute("dir", "rtl")
    body_editor(page).click()
    page.keyboard.type("ما ائتلافی از سازمان‌های مدنی هستیم.")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Shift+7")
    page.keyboard.type("گفت‌وگو")
    # Alt+F10 reaches the toolbar from the text, Escape goes back, where the text was left.
    page.keyboard.press("Alt+F10")
    expect(toolbar(page).get_by_role("button").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(body_editor(page)).to_be_focused()
    page.keyboard.type("!")
    journey.check(page, "about-page-written")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    mission = Page.objects.get(slug="mission")
    assert mission.body == (
        "<p>ما ائتلافی از سازمان‌های مدنی هستیم.</p><ol><li><p>گفت‌وگو!</p></li></ol>"
    )
    reader.goto(mission.get_absolute_url())
    expect(reader.locator("main ol li")).to_have_text("گفت‌وگو!")
    journey.check(reader, "about-page")
