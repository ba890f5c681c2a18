"""What readers write, for every figure of `make bench` and `make spike`: statements with varied,
realistic comments, and the statement page weighed as readers get it.

Comments repeated from one template compress about 16:1 and flatter every size and speed
figure; readers' comments compress about 6:1. Here each comment is 100-2,000 characters (most
a few hundred, a few long), in one to five paragraphs, of words drawn with their natural
frequencies (English from the demo statement; Persian from a paragraph of ordinary prose and
made-up words, since one paragraph has too few), with links and e-mail addresses of many
sites in about a third, and about one comment in eight in the other language.
"""

import gzip
import random
import urllib.request

import brotli

PERSIAN_PROSE = (
    "این بیانیه در روزهایی منتشر می‌شود که مردم ایران با دشواری‌های بزرگی روبه‌رو هستند. "
    "گرانی، بیکاری و نبود آزادی‌های پایه‌ای زندگی میلیون‌ها خانواده را سخت کرده است و "
    "بسیاری از جوانان امیدی به آینده ندارند. ما بر این باوریم که گفت‌وگو با جهان و پایان "
    "دادن به تحریم‌ها راهی است برای بهبود زندگی مردم، به شرط آن که با احترام به حقوق بشر، "
    "آزادی بیان، حق تشکل و برابری زن و مرد همراه باشد. سازمان‌های امضاکننده از همهٔ نیروهای "
    "دموکرات می‌خواهند که در کنار یکدیگر برای صلح، آزادی و عدالت اجتماعی بکوشند و صدای "
    "زندانیان سیاسی، کارگران، معلمان، بازنشستگان و اقلیت‌های ملی و مذهبی را به گوش جهان برسانند."
)
TITLES = {"en": "A statement with {comments} comments", "fa": "بیانیه‌ای با {comments} نظر"}
SITES = [
    "example.org", "news.example.com", "radiozamaneh.example", "bbc.example.co.uk",
    "iranwire.example", "twitter.example.com", "t.me", "youtube.example.com",
    "en.wikipedia.example.org", "fa.wikipedia.example.org", "amnesty.example.org",
    "hra-news.example.org", "docs.example.net", "blog.example.ir",
]  # fmt: skip
MAIL_DOMAINS = ["example.org", "mail.example.com", "example.ir", "proton.example.me"]


def prose(language):
    if language == "fa":
        return PERSIAN_PROSE
    from statements.management.commands.load_demo import DEMO_FILE

    return DEMO_FILE.read_text(encoding="utf-8").split("\nBody:\n", 1)[1]


def vocabulary(language, rng):
    """Words with their natural frequencies (a word listed twice is drawn twice as often)."""
    words = prose(language).split()
    if language == "fa":
        from bench.campaigns import ARABIC, ARABIC_VOWELS
        from bench.campaigns import vocabulary as made_up

        # The prose's words are the common ones; made-up words the long tail, Zipf-like.
        extra = made_up(rng, ARABIC, ARABIC_VOWELS, size=600)
        words = words * 8 + [
            w for rank, w in enumerate(extra, 1) for _ in range(max(1, 20 // rank))
        ]
    return words


def address(rng, language):
    if rng.random() < 0.3:
        user = rng.choice(["reader", "ali", "sara.m", "info", "contact", "n.rahimi", "j.smith"])
        return f"{user}{rng.randint(1, 999)}@{rng.choice(MAIL_DOMAINS)}"
    path = "/".join(
        rng.choice(["news", "2025", "report", "article", "p", language, "watch", "item"])
        for _ in range(rng.randint(1, 3))
    )
    query = f"?id={rng.randint(1, 10**7)}" if rng.random() < 0.4 else ""
    return f"https://{rng.choice(SITES)}/{path}/{rng.randint(1, 10**6)}{query}"


def comment_text(rng, words, language):
    """One comment of 100-2,000 characters in `language`."""
    length = int(min(2_000, max(100, rng.lognormvariate(5.9, 0.7))))
    links = rng.choice([1, 1, 2]) if rng.random() < 0.35 else 0
    question, comma = ("?", ",") if language == "en" else ("؟", "،")
    paragraphs, sentences = [], []
    size = 0
    while size < length:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(4, 18)))
        if language == "en":
            sentence = sentence[:1].upper() + sentence[1:]
        sentence += rng.choice([".", ".", ".", "!", question, ":", comma])
        if links and rng.random() < 0.3:
            sentence += " " + address(rng, language)
            links -= 1
        sentences.append(sentence)
        size += len(sentence) + 1
        if rng.random() < 0.2:
            paragraphs.append(" ".join(sentences))
            sentences = []
    paragraphs.append(" ".join(sentences))
    text = "\n\n".join(p for p in paragraphs if p)
    return text[:length].rstrip() if len(text) > 2_000 else text


def seed(language="en", comments=150, slug="bench", translation_of=None):
    """A published statement in `language` with `comments` approved comments of readers' kind
    (about one in eight in the other language); with `translation_of`, that statement's
    edition in `language`, signed by the same organizations under their names in it."""
    from comments import moderation
    from comments.models import Comment
    from statements.models import OrganizationTranslation
    from tests.builders import make_organization, make_statement

    rng = random.Random(f"{slug}-{language}-{comments}")
    other = "en" if language == "fa" else "fa"
    words = {code: vocabulary(code, rng) for code in (language, other)}
    if translation_of is None:
        signatories = [make_organization(name=f"Org {slug} {comments}-{i}") for i in range(3)]
        edition = {}
    else:
        signatories = list(translation_of.signatories.all())
        for n, organization in enumerate(signatories):
            OrganizationTranslation.objects.get_or_create(
                organization=organization, language=language, defaults={"name": f"سازمان {n}"}
            )
        edition = {"translation_of": translation_of}
    paragraphs = [p.strip() for p in prose(language).split("\n\n") if p.strip()]
    statement = make_statement(
        title=TITLES[language].format(comments=comments),
        slug=f"{slug}-{comments}",
        language=language,
        signatories=signatories,
        body="\n\n".join(paragraphs * (13 // len(paragraphs) + 1))[:9000],
        **edition,
    )
    names = words[language]
    Comment.objects.bulk_create(
        Comment(
            statement=statement,
            name=f"{rng.choice(names)} {rng.choice(names)}"[:80],
            text=comment_text(rng, words[code], code),
            html="",
            status=Comment.Status.APPROVED,
        )
        for code in (other if rng.random() < 0.125 else language for _ in range(comments))
    )
    for comment in Comment.objects.filter(statement=statement):
        comment.save()  # renders the stored HTML
    moderation.refresh_comment_counts([statement.pk])
    statement.refresh_from_db()
    return statement


def history(comments=100_000, slug="history"):
    """A statement under which `comments` comments of every status lie, from many addresses and
    e-mail addresses: what a site holds after some years, and what each new comment is checked
    against (comments.moderation.assess). Stored in bulk with their HTML unrendered: the bench
    never shows their page."""
    from django.db import connection

    from comments.models import Comment

    rng = random.Random(f"{slug}-{comments}")
    words = vocabulary("en", rng)
    statuses = [Comment.Status.APPROVED] * 6 + [
        Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM,
    ]  # fmt: skip
    statement = seed(comments=0, slug=slug)
    for start in range(0, comments, 5_000):
        Comment.objects.bulk_create(
            Comment(
                statement=statement,
                name=f"Reader {n % 20_000}",
                email=f"reader{n % 30_000}@{rng.choice(MAIL_DOMAINS)}" if n % 2 else "",
                ip_address=f"10.{n // 65_025 % 250}.{n // 255 % 255}.{1 + n % 254}",
                text=comment_text(rng, words, "en"),
                html="",
                status=rng.choice(statuses),
            )
            for n in range(start, min(comments, start + 5_000))
        )
    with connection.cursor() as cursor:  # the planner learns the table's size now, not later
        cursor.execute(f"ANALYZE {Comment._meta.db_table}")
    return statement


def as_read(url):
    """The page at `url` as readers get it: {"raw", "gzip", "br": bytes, "comments": shown}."""
    sizes = {}
    for encoding in ("identity", "gzip", "br"):
        request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            body = response.read()
            sent = response.headers.get("Content-Encoding", "identity")
        assert sent == encoding, f"asked for {encoding}, got {sent}"
        sizes[encoding] = len(body)
        if encoding == "identity":
            html = body.decode()
    return {
        "raw": sizes["identity"],
        "gzip": sizes["gzip"],
        "br": sizes["br"],
        "comments": html.count('<article class="comment"'),
    }


def comment_ratio(statement):
    """How well the statement's comment texts compress on their own (gzip, brotli)."""
    from comments.models import Comment

    texts = "\n".join(
        Comment.objects.filter(statement=statement).values_list("text", flat=True)
    ).encode()
    return len(texts) / len(gzip.compress(texts, 6)), len(texts) / len(brotli.compress(texts))
