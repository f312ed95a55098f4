"""Turning archived articles (old WeChat posts, scraped web pages, text files) into news pages.

Reading is separate from saving: ``read_article`` turns the bytes of one ``.txt``, ``.html`` or
``.md`` file into an ``Article`` (title, date, clean rich text, tags) or raises ``ArticleRejected``
with the reason in plain words; ``save_article`` creates or updates the page. The rules follow
what real archives contain (see ../shared/corpus/README.md):

- the encoding is UTF-8 (with or without BOM) or GB18030 (a superset of GBK and GB2312);
- scraped navigation before the real title (a list of unrelated headlines) is dropped: the title
  is the line before a "发布时间:" meta line when there is one;
- a title repeated on two lines is kept once, and spacing inside words ("汇 报 材 料") is removed;
- the date is a full date near the top (发布时间:2020/08/07, 2022年12月15日, 2020-08-07); a
  month and day without a year gives no date rather than a wrong one;
- inline HTML keeps paragraphs, headings, bold, italics and lists, and loses styles and editor
  debris (``span.ql-cursor``);
- trailing one-word lines are keywords and become tags; without them, tags are the article's
  most characteristic words (jieba's TF-IDF).
"""

import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from bs4 import BeautifulSoup, NavigableString, Tag

from core.encoding import ZERO_WIDTH, UnreadableText, decode_text

MAX_FILE_BYTES = 5 * 1024 * 1024
SUPPORTED_SUFFIXES = {".txt", ".html", ".htm", ".md"}
TITLE_MAX_LENGTH = 60
SHORT_LINE = 24
SENTENCE_END = "。！？!?；;…"
CLAUSE_PUNCTUATION = SENTENCE_END + "，,、：:"
# Words in nearly every article of a community archive: as tags they would link everything.
TOO_COMMON_FOR_TAGS = {"社区", "居民", "工作", "开展", "进行", "我们", "他们", "一个", "没有"}

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})(?!\d)\s*日?"
)
META_LINE = re.compile(r"(发布时间|发布日期|发表时间|时间|来源|作者|浏览|阅读|点击)\s*[:：]")
SPACED_WORD = re.compile(rf"(?<![{CJK}])[{CJK}](?: [{CJK}]){{2,}}(?![{CJK}])")
KEYWORD_LINE = re.compile(rf"^[{CJK}A-Za-z0-9]{{1,8}}$")
NAVIGATION_DEBRIS = re.compile(r"^([-—–|>·•]+|.{0,80}(\.\.\.|…)+)$")
HTML_TAG = re.compile(r"</?(p|b|strong|span|br|div|h[1-6]|i|em|ul|ol|li|font|section)\b", re.I)

BLOCK_TAGS = {"p", "div", "section", "article", "blockquote", "center", "main", "body"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LIST_TAGS = {"ul", "ol"}
DROP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe"}


class ArticleRejected(Exception):
    """A file that cannot become a page; the message says why, for the person importing."""


@dataclass
class Block:
    """One block of the body: a paragraph, heading, list or verse, as safe rich-text HTML."""

    kind: str  # "p", "h", "ul", "ol", "verse"
    html: str
    text: str
    blank_before: bool = False
    from_markup: bool = False


@dataclass
class Article:
    title: str
    date: date | None
    body: str
    summary: str
    tags: list[str] = field(default_factory=list)
    source: str = ""


# Decoding ---------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The text of a file, whatever encoding an archive used; refuses empty and binary files."""
    try:
        return decode_text(data, max_bytes=MAX_FILE_BYTES)
    except UnreadableText as exc:
        raise ArticleRejected(str(exc)) from None


# Cleaning markup --------------------------------------------------------------------------------


def _inline(node) -> str:
    """Safe inline rich text: bold, italics and line breaks survive, everything else is text."""
    if isinstance(node, NavigableString):
        return html.escape(str(node).translate(ZERO_WIDTH), quote=False)
    if not isinstance(node, Tag):
        return ""
    name = node.name.lower()
    if name in DROP_TAGS or "ql-cursor" in (node.get("class") or []):
        return ""
    if name == "br":
        return "<br/>"
    inner = "".join(_inline(child) for child in node.children)
    if not inner.strip():
        return inner
    if name in {"b", "strong"}:
        return f"<b>{inner}</b>"
    if name in {"i", "em"}:
        return f"<i>{inner}</i>"
    return inner


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


def _has_blocks(tag: Tag) -> bool:
    return any(
        isinstance(child, Tag) and child.name.lower() in BLOCK_TAGS | HEADING_TAGS | LIST_TAGS
        for child in tag.children
    )


# Deeper markup than any article has is refused before the walks below (which recurse once or
# twice per level) could exhaust Python's stack: a crafted file is reported, not fatal.
MAX_NESTING = 100


def parse_markup(markup: str) -> BeautifulSoup:
    """The parsed markup (parsing and measuring are iterative); ArticleRejected when it nests
    deeper than MAX_NESTING."""
    soup = BeautifulSoup(markup, "html.parser")
    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ArticleRejected(
                _("The markup is nested more than %(limit)s levels deep.") % {"limit": MAX_NESTING}
            )
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))
    return soup


def markup_blocks(markup: str) -> list[Block]:
    """Blocks from an HTML fragment: paragraphs, headings and lists, without styles or debris."""
    root = parse_markup(markup)
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        joined = "".join(pending).strip()
        pending.clear()
        if _text(joined):
            blocks.append(Block("p", joined, _text(joined), from_markup=True))

    def walk(parent) -> None:
        for child in parent.children:
            name = child.name.lower() if isinstance(child, Tag) else None
            if name in DROP_TAGS:
                continue
            if name in HEADING_TAGS:
                flush()
                text = _text(_inline(child))
                if text:
                    blocks.append(Block("h", html.escape(text), text, from_markup=True))
            elif name in LIST_TAGS:
                flush()
                items = [_inline(li).strip() for li in child.find_all("li", recursive=False)]
                items = [item for item in items if _text(item)]
                if items:
                    markup_ = "".join(f"<li>{item}</li>" for item in items)
                    blocks.append(
                        Block(name, markup_, " ".join(map(_text, items)), from_markup=True)
                    )
            elif name in BLOCK_TAGS:
                flush()
                if _has_blocks(child):
                    walk(child)
                else:
                    pending.append(_inline(child))
                    flush()
            else:
                pending.append(_inline(child))
        flush()

    walk(root)
    return blocks


# Reading the three kinds of file ----------------------------------------------------------------


def _plain_line_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    blank = False
    for raw in lines:
        line = raw.strip()
        if not line:
            blank = True
            continue
        if HTML_TAG.search(line):
            found = markup_blocks(line)
            if found:
                found[0].blank_before = blank
            blocks.extend(found)
        else:
            text = re.sub(r"\s+", " ", line)
            blocks.append(Block("p", html.escape(text, quote=False), text, blank_before=blank))
        blank = False
    return blocks


def _markdown_inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = re.sub(
        r"\*\*(.+?)\*\*|__(.+?)__", lambda m: f"<b>{m.group(1) or m.group(2)}</b>", escaped
    )
    escaped = re.sub(r"(?<!\*)\*(?!\*)(.+?)(?<!\*)\*(?!\*)", r"<i>\1</i>", escaped)
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", escaped)


def _markdown_blocks(text: str) -> tuple[str, list[Block]]:
    title = ""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            markup = _markdown_inline(" ".join(paragraph))
            blocks.append(Block("p", markup, _text(markup), from_markup=True))
            paragraph.clear()
        if items:
            markup = "".join(f"<li>{_markdown_inline(item)}</li>" for item in items)
            blocks.append(Block("ul", markup, " ".join(items), from_markup=True))
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if heading:
            flush()
            if heading.group(1) == "#" and not title:
                title = heading.group(2)
            else:
                text_ = heading.group(2)
                blocks.append(Block("h", html.escape(text_), text_, from_markup=True))
        elif re.match(r"^[-*+]\s+", line):
            if paragraph:
                flush()
            items.append(re.sub(r"^[-*+]\s+", "", line))
        elif not line:
            flush()
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return title, blocks


def _html_document_blocks(text: str) -> tuple[str, list[Block]]:
    soup = parse_markup(text)
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    heading = soup.find("h1")
    title = _text(str(soup.title.string)) if soup.title and soup.title.string else ""
    if heading is not None:
        title = _text(heading.get_text()) or title
        heading.decompose()
    if soup.title:
        soup.title.decompose()
    root = soup.find("article") or soup.body or soup
    return title, markup_blocks(str(root))


# Finding the title, date, author and tags -------------------------------------------------------


def normalise_title(title: str) -> str:
    """One line, no spacing inside words, no decoration around it."""
    title = re.sub(r"\s+", " ", title.translate(ZERO_WIDTH)).strip()
    title = SPACED_WORD.sub(lambda m: m.group(0).replace(" ", ""), title)
    return title.strip(" -—|·")


def find_date(text: str) -> date | None:
    """The first complete date in ``text``; a month and day without a year is not a date."""
    for match in FULL_DATE.finditer(text):
        year, month, day = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def _is_title_like(block: Block) -> bool:
    text = block.text
    return (
        block.kind in {"p", "h"}
        and 0 < len(text) <= TITLE_MAX_LENGTH
        and text[-1] not in SENTENCE_END + "，,"
    )


def _title_from_sentence(text: str) -> str:
    """A title for an article that has none: its first clause-bounded phrase of reasonable size."""
    text = re.sub(r"^\d{1,2}月\d{1,2}日[，,]?", "", text).strip()
    sentence = re.split(rf"[{re.escape(SENTENCE_END)}]", text, maxsplit=1)[0]
    if len(sentence) <= 40:
        return sentence
    cut = 0
    for index, char in enumerate(sentence[:40]):
        if char in CLAUSE_PUNCTUATION:
            cut = index
    return (sentence[:cut] if cut >= 12 else sentence[:40]) + "…"


def _split_header(blocks: list[Block]) -> tuple[str, date | None, str, list[Block]]:
    """Title, date and author from the top of the article; the blocks that remain are the body."""
    date_ = None
    meta_at = next(
        (
            i
            for i, b in enumerate(blocks[:40])
            if i > 0 and META_LINE.search(b.text) and len(b.text) < 80
        ),
        None,
    )
    if meta_at is not None:
        date_ = find_date(blocks[meta_at].text)
        title_block, rest = blocks[meta_at - 1], blocks[meta_at + 1 :]
    else:
        while len(blocks) > 1 and NAVIGATION_DEBRIS.match(blocks[0].text):
            blocks = blocks[1:]
        title_block, rest = blocks[0], blocks[1:]
    if _is_title_like(title_block):
        title = normalise_title(title_block.text)
    else:
        title, rest = normalise_title(_title_from_sentence(title_block.text)), [title_block, *rest]
    while rest and normalise_title(rest[0].text) == title:
        rest = rest[1:]
    source = ""
    if (
        len(rest) > 1
        and rest[0].kind == "p"
        and not rest[0].from_markup
        and len(rest[0].text) <= 15
        and rest[0].blank_before
        and rest[1].blank_before
        and not re.search(rf"[{re.escape(CLAUSE_PUNCTUATION)}]", rest[0].text)
    ):
        source, rest = rest[0].text, rest[1:]
    if date_ is None:
        for index, block in enumerate(rest[:3]):
            found = find_date(block.text)
            if found and len(block.text) <= 30:
                date_, rest = found, rest[:index] + rest[index + 1 :]
                break
    return title, date_, source, rest


def _split_keywords(blocks: list[Block]) -> tuple[list[str], list[Block]]:
    keywords: list[str] = []
    while blocks and blocks[-1].kind == "p" and KEYWORD_LINE.match(blocks[-1].text):
        keywords.insert(0, blocks[-1].text)
        blocks = blocks[:-1]
    if len(keywords) < 2:
        return [], blocks + [Block("p", html.escape(k), k) for k in keywords]
    return list(dict.fromkeys(keywords)), blocks


def _shape_plain_text(blocks: list[Block]) -> list[Block]:
    """Runs of three or more short lines are verse; one or two short lines without final
    punctuation before a longer paragraph are headings."""
    shaped: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.from_markup or block.kind != "p" or len(block.text) > SHORT_LINE:
            shaped.append(block)
            index += 1
            continue
        end = index
        while (
            end < len(blocks)
            and not blocks[end].from_markup
            and blocks[end].kind == "p"
            and len(blocks[end].text) <= SHORT_LINE
        ):
            end += 1
        for piece in _pieces(blocks[index:end]):
            if len(piece) >= 3 and any(b.text[-1] in "，,、" for b in piece):
                markup = "<br/>".join(b.html for b in piece)
                shaped.append(Block("verse", markup, " ".join(b.text for b in piece)))
            else:
                for item in piece:
                    heading = item.text[-1] not in CLAUSE_PUNCTUATION and end < len(blocks)
                    shaped.append(Block("h" if heading else "p", item.html, item.text))
        index = end
    return shaped


def _pieces(run: list[Block]) -> list[list[Block]]:
    """Split a run of short lines after each line that ends a sentence: verse ends there."""
    pieces, current = [], []
    for block in run:
        current.append(block)
        if block.text[-1] in SENTENCE_END:
            pieces.append(current)
            current = []
    return [*pieces, current] if current else pieces


def _render(blocks: list[Block]) -> str:
    parts = []
    for block in blocks:
        if block.kind == "h":
            parts.append(f"<h2>{block.html}</h2>")
        elif block.kind in LIST_TAGS:
            parts.append(f"<{block.kind}>{block.html}</{block.kind}>")
        else:
            parts.append(f"<p>{block.html}</p>")
    return "".join(parts)


def _summary(blocks: list[Block], limit: int = 120) -> str:
    first = next((b.text for b in blocks if b.kind == "p" and len(b.text) >= 20), "")
    if not first:
        first = " ".join(b.text for b in blocks)
    return first if len(first) <= limit else first[: limit - 1] + "…"


def extract_tags(text: str, limit: int = 5) -> list[str]:
    """The most characteristic words of ``text`` (jieba's TF-IDF over its own dictionary)."""
    import jieba.analyse

    from search.segmentation import ensure_jieba

    ensure_jieba()
    # A number of any script (12, １２, ², 十二) makes no tag; nothing here becomes an int.
    return [
        word
        for word in jieba.analyse.extract_tags(text, topK=limit * 3)
        if len(word) >= 2 and not word.isnumeric() and word not in TOO_COMMON_FOR_TAGS
    ][:limit]


def read_article(name: str, data: bytes) -> Article:
    """Turn one file's bytes into an article, or raise ``ArticleRejected`` saying why."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ArticleRejected(_("Only .txt, .html and .md files can be imported."))
    text = decode(data)
    if suffix in {".html", ".htm"}:
        title, blocks = _html_document_blocks(text)
    elif suffix == ".md":
        title, blocks = _markdown_blocks(text)
    else:
        title, blocks = "", _plain_line_blocks(text.splitlines())
    if title:
        title = normalise_title(title)
        blocks = [b for b in blocks if normalise_title(b.text) != title]
        header_title, date_, source, blocks = _split_header([Block("h", "", title), *blocks])
    elif blocks:
        header_title, date_, source, blocks = _split_header(blocks)
        title = header_title
    if not title or not blocks:
        raise ArticleRejected(_("The file has no text that could be an article."))
    keywords, blocks = _split_keywords(blocks)
    blocks = _shape_plain_text(blocks)
    if not blocks:
        raise ArticleRejected(_("The file has a title but no body."))
    body_text = " ".join(b.text for b in blocks)
    return Article(
        title=title[:255],
        date=date_,
        body=_render(blocks),
        summary=_summary(blocks),
        tags=keywords or extract_tags(f"{title} {body_text}"),
        source=source[:100],
    )


# Saving -----------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What happened to one file: the JSON line ``import_articles --json`` prints."""

    file: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    status: str = "error"  # "created", "updated" or "error"
    error: str | None = None


def unique_slug(parent, title: str, exclude_pk: int | None = None) -> str:
    from django.utils.text import slugify

    from wagtail.models import Page

    base = slugify(title, allow_unicode=True)[:50].strip("-") or "article"
    taken = set(
        Page.objects.child_of(parent)
        .exclude(pk=exclude_pk)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def save_article(article: Article, import_key: str, parent, category=None, draft: bool = False):
    """Create the news page for ``import_key``, or update the one an earlier import made.

    Returns ``(page, created)``. With ``draft`` the new content waits as a draft revision; the
    page stays as it was for readers (or unpublished, if new).
    """
    from news.models import NewsPage

    page = NewsPage.objects.child_of(parent).filter(import_key=import_key).first()
    created = page is None
    if created:
        page = NewsPage(import_key=import_key, live=not draft)
    page.title = article.title
    page.draft_title = article.title
    page.slug = unique_slug(parent, article.title, exclude_pk=page.pk)
    page.summary = article.summary
    page.source = article.source
    page.date = article.date  # unknown stays unknown: no made-up date
    if category is not None:
        page.category = category
    page.body = [("paragraph", article.body)]
    page.tags.set(article.tags)
    if created:
        parent.add_child(instance=page)
    revision = page.save_revision(log_action=True)
    if not draft:
        revision.publish()
    return page, created
