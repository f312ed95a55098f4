"""Importing archived articles: every rule with our own small files, then the real seed corpus."""

import datetime
import json
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from news.importer import ArticleRejected, decode, find_date, normalise_title, read_article
from news.models import NewsCategory, NewsIndexPage, NewsPage
from tests.factories import site_tree

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"

ARTICLE = "\n".join(
    [
        "幸福里社区加装电梯协调会顺利召开",
        "发布时间:2024/03/18 来源:居委会",
        "3号楼的居民和设计单位坐在一起，把加装电梯的每个细节摊开来谈。",
        "低层住户担心采光和噪音，设计单位当场调整了井道位置。",
    ]
)


# Encodings -------------------------------------------------------------------------------------


def test_utf8_with_and_without_bom_and_gbk_all_decode_the_same():
    text = "社区议事厅开放啦"
    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("gbk")) == text
    assert decode("㐀䶵 生僻字".encode("gb18030")) == "㐀䶵 生僻字"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "空"),
        (b"   \n\t \n", "空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制"),
        (bytes(range(0x80, 0xA0)) * 20, "UTF-8"),
    ],
)
def test_files_that_are_not_articles_are_rejected_with_a_reason(data, reason):
    with pytest.raises(ArticleRejected, match=reason):
        decode(data)


def test_an_oversized_file_is_rejected():
    with pytest.raises(ArticleRejected, match="5 MB"):
        decode(b"a" * (5 * 1024 * 1024 + 1))


def test_unsupported_file_types_are_refused():
    with pytest.raises(ArticleRejected, match=".txt"):
        read_article("notice.docx", "通知".encode())


# Titles ----------------------------------------------------------------------------------------


def test_scraped_headline_list_before_the_title_is_dropped():
    text = "\n".join(
        [
            "新闻",
            "-",
            "某地举办春季招聘会，现场达成意向...",
            "某企业发布新品，发布会在某地举行，吸引了...",
            "财经",
            "-",
            "季度数据出炉...",
            ARTICLE,
        ]
    )
    article = read_article("a.txt", text.encode())
    assert article.title == "幸福里社区加装电梯协调会顺利召开"
    assert article.date == datetime.date(2024, 3, 18)
    assert "招聘会" not in article.body and "发布时间" not in article.body


def test_a_title_repeated_on_two_lines_is_kept_once():
    text = (
        "楼道整治 工作 汇 报 材 料\n楼道整治 工作 汇 报 材 料\n今年以来，我们清理了全部楼道的堆物。"
    )
    article = read_article("a.txt", text.encode())
    assert article.title == "楼道整治 工作 汇报材料"
    assert "楼道整治" not in article.body


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("友邻社区 汇 报 材 料", "友邻社区 汇报材料"),
        ("通 知", "通 知"),  # two characters only: could be deliberate, left alone
        ("居民 议事 会", "居民 议事 会"),
        ("  -— 停车 位 管 理 办 法 —  ", "停车 位管理办法"),
    ],
)
def test_spacing_inside_words_is_removed_from_titles(raw, clean):
    assert normalise_title(raw) == clean


def test_an_article_without_a_title_line_gets_one_from_its_first_sentence():
    text = (
        "12月15日,区民政局在社区服务中心举办社区议事协商能力提升培训班,来自全区四十个社区的"
        "书记和议事代表参加培训,交流了议事厅的做法。\n下午进行了分组讨论。"
    )
    article = read_article("a.txt", text.encode())
    assert article.title.startswith("区民政局在社区服务中心举办")
    assert len(article.title) <= 41
    assert article.date is None
    assert "12月15日" in article.body


# Dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间:2020/08/07 浏览:553", datetime.date(2020, 8, 7)),
        ("2022年12月15日", datetime.date(2022, 12, 15)),
        ("时间：2020-08-07 09:30", datetime.date(2020, 8, 7)),
        ("2021.5.3", datetime.date(2021, 5, 3)),
        ("12月15日,省民政厅举办培训会", None),
        ("2020-13-45", None),
        ("电话 12345678901234", None),
    ],
)
def test_only_complete_dates_are_dates(text, expected):
    assert find_date(text) == expected


def test_a_date_line_under_the_title_is_used_and_removed():
    text = "文明楼栋评选结果公布\n2023年6月1日\n经过居民投票，评出十个文明楼栋。"
    article = read_article("a.txt", text.encode())
    assert article.date == datetime.date(2023, 6, 1)
    assert "2023年6月1日" not in article.body


# Markup ----------------------------------------------------------------------------------------


def test_inline_html_becomes_clean_rich_text():
    text = (
        "社区环境整治回顾\n"
        '<p style="text-align: center;"><b style="font-size: 20px; color: red;">整治成果</b></p>'
        '<p>清理<span class="ql-cursor">\ufeff</span>小广告<strong>三百</strong>处。'
        "<script>alert(1)</script></p><h3>下一步</h3><ul><li>每月巡查</li><li>居民监督</li></ul>"
    )
    article = read_article("a.txt", text.encode())
    assert article.body == (
        "<p><b>整治成果</b></p><p>清理小广告<b>三百</b>处。</p>"
        "<h2>下一步</h2><ul><li>每月巡查</li><li>居民监督</li></ul>"
    )


def test_text_that_looks_like_markup_in_plain_lines_is_escaped():
    text = "关于 a<b 的说明\n请注意 1 < 2 & 3 > 2 这样的写法不会被当成标签。"
    article = read_article("a.txt", text.encode())
    assert "1 &lt; 2 &amp; 3 &gt; 2" in article.body


def test_short_lines_become_verse_and_headings():
    text = "\n".join(
        [
            "联合社区走访记",
            "沿着小河一路向北,",
            "老街与新楼、",
            "石桥与花园",
            "相映成趣。",
            "以服务为抓手",
            "社区把服务送到每一户居民家门口，受到大家的欢迎和称赞。",
        ]
    )
    article = read_article("a.txt", text.encode())
    assert "<p>沿着小河一路向北,<br/>老街与新楼、<br/>石桥与花园<br/>相映成趣。</p>" in article.body
    assert "<h2>以服务为抓手</h2>" in article.body


def test_html_document_uses_its_heading_as_title_and_drops_page_furniture():
    html = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>站点名 - 文章</title>
    <style>p{color:red}</style></head><body><nav>首页 | 新闻 | 联系我们</nav>
    <article><h1>红管家服务队成立</h1><p class="meta">发布时间：2021-04-02</p>
    <p>二十位党员组成<em>红管家</em>服务队。</p></article><footer>版权所有</footer></body></html>"""
    article = read_article("page.html", html.encode())
    assert article.title == "红管家服务队成立"
    assert article.date == datetime.date(2021, 4, 2)
    assert article.body == "<p>二十位党员组成<i>红管家</i>服务队。</p>"


def test_markdown_file_is_read_with_title_headings_bold_and_lists():
    md = "\n\n".join(
        [
            "# 时间银行上线",
            "发布时间: 2022-09-09",
            "志愿服务**一小时**存一小时。",
            "## 怎么参加",
            "- 报名\n- 服务",
        ]
    )
    article = read_article("bank.md", md.encode())
    assert article.title == "时间银行上线"
    assert article.date == datetime.date(2022, 9, 9)
    assert article.body == (
        "<p>志愿服务<b>一小时</b>存一小时。</p><h2>怎么参加</h2><ul><li>报名</li><li>服务</li></ul>"
    )


# Tags ------------------------------------------------------------------------------------------


def test_trailing_one_word_lines_become_tags():
    text = ARTICLE + "\n\n议事厅\n\n加装电梯\n\n3号楼\n"
    article = read_article("a.txt", text.encode())
    assert article.tags == ["议事厅", "加装电梯", "3号楼"]
    assert "议事厅" not in article.body


def test_without_keyword_lines_tags_are_the_articles_characteristic_words():
    article = read_article("a.txt", ARTICLE.encode())
    assert 2 <= len(article.tags) <= 5
    assert {"电梯", "井道", "设计单位", "加装"} & set(article.tags)
    assert "社区" not in article.tags


# The command -----------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def news_index(db) -> NewsIndexPage:
    """The 通知公告 section the command imports into."""
    return site_tree().news


def run_import(*args) -> tuple[list[dict], int]:
    out = StringIO()
    code = 0
    try:
        call_command("import_articles", *args, "--json", stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return [json.loads(line) for line in out.getvalue().splitlines()], code


@pytest.fixture
def archive(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "old.txt").write_bytes("旧通知标题\n这是一篇用GBK保存的旧通知。".encode("gbk"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "ignored.jpg").write_bytes(b"\xff\xd8\xff")
    return tmp_path


def test_a_directory_imports_the_good_files_and_reports_the_bad_ones(news_index, archive):
    before = NewsPage.objects.count()
    results, code = run_import(str(archive))
    by_file = {Path(r["file"]).name: r for r in results}
    assert set(by_file) == {"good.txt", "old.txt", "empty.txt", "photo.txt"}
    assert by_file["good.txt"]["status"] == "created"
    assert by_file["good.txt"]["date"] == "2024-03-18"
    assert by_file["good.txt"]["title"] == "幸福里社区加装电梯协调会顺利召开"
    assert by_file["old.txt"]["title"] == "旧通知标题"
    assert by_file["empty.txt"]["status"] == "error" and "空" in by_file["empty.txt"]["error"]
    assert by_file["photo.txt"]["status"] == "error" and by_file["photo.txt"]["url"] is None
    assert code == 1
    assert NewsPage.objects.count() == before + 2
    page = NewsPage.objects.get(import_key="good.txt")
    assert page.live and page.url == by_file["good.txt"]["url"]


def test_importing_the_same_file_again_updates_its_page(news_index, archive):
    run_import(str(archive / "good.txt"))
    page = NewsPage.objects.get(import_key="good.txt")
    (archive / "good.txt").write_text(ARTICLE.replace("顺利召开", "圆满结束"), encoding="utf-8")
    results, code = run_import(str(archive / "good.txt"))
    assert code == 0 and results[0]["status"] == "updated"
    assert NewsPage.objects.filter(import_key="good.txt").count() == 1
    page.refresh_from_db()
    assert page.title == "幸福里社区加装电梯协调会圆满结束"


def test_draft_imports_wait_for_an_editor(news_index, archive):
    run_import(str(archive / "good.txt"), "--draft", "--category", "社区动态")
    page = NewsPage.objects.get(import_key="good.txt")
    assert not page.live
    assert page.category == NewsCategory.objects.get(name="社区动态")


def test_an_unknown_category_stops_before_importing_anything(news_index, archive):
    with pytest.raises(CommandError, match="通知公告"):
        call_command("import_articles", str(archive), "--category", "不存在的分类")
    assert not NewsPage.objects.filter(import_key="good.txt").exists()


def test_a_missing_file_is_reported_not_raised(news_index, tmp_path):
    results, code = run_import(str(tmp_path / "nope.txt"))
    assert code == 1 and results[0]["status"] == "error"


@pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus/seeds is not beside this checkout"
)
def test_the_seed_corpus_imports_as_five_clean_pages(news_index):
    results, code = run_import(str(CORPUS))
    assert code == 0
    assert [r["status"] for r in results] == ["created"] * 5
    pages = {
        Path(r["file"]).name[:3]: NewsPage.objects.get(import_key=Path(r["file"]).name)
        for r in results
    }
    assert pages["002"].title == "庄行镇:“红引擎”激发社会治理澎湃动力"
    assert pages["002"].date == datetime.date(2020, 8, 7)
    assert pages["001"].date is None  # "12月15日" has no year
    assert pages["003"].title == "归义镇友谊河社区创建省级文明社区 汇报材料"
    assert "邻礼通" in pages["000"].tags.names()
    for page in pages.values():
        body = str(page.body)
        assert "style=" not in body and "ql-cursor" not in body and "&lt;p" not in body
        assert page.tags.count() >= 3
        assert len(page.title) <= 60


def test_a_crafted_file_is_reported_and_the_others_still_import(news_index, tmp_path):
    """Markup nested 100,000 levels deep (in .html and in a .txt line), a binary file and an
    oversized one: each is reported with its reason; the good file beside them imports."""
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    deep = "<div>" * 100_000 + "深" + "</div>" * 100_000
    (tmp_path / "deep.html").write_text(f"<html><body><h1>标题</h1>{deep}</body></html>", "utf-8")
    (tmp_path / "deep.txt").write_text("标题\n" + "<b>" * 100_000 + "正文", "utf-8")
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "huge.md").write_text("# 标题\n" + "很长的正文。" * 1_000_000, "utf-8")
    before = NewsPage.objects.count()
    results, code = run_import(str(tmp_path))
    by_file = {Path(r["file"]).name: r for r in results}
    assert by_file["good.txt"]["status"] == "created"
    for name in ("deep.html", "deep.txt", "binary.html", "huge.md"):
        assert by_file[name]["status"] == "error" and by_file[name]["error"], name
    assert "嵌套" in by_file["deep.html"]["error"] and "嵌套" in by_file["deep.txt"]["error"]
    assert code == 1
    assert NewsPage.objects.count() == before + 1
