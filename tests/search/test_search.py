"""Searching the public archive in Chinese: segmentation, normalisation, what is indexed and
when, facets, highlights, escaping, the JSON answer, the archive pages — on our own fixtures;
then the real seed corpus when ../shared is beside the checkout."""

import datetime
import os
from pathlib import Path

from django.test import Client

from wagtail.models import PageViewRestriction

import pytest

from deliberation.models import Poll, ProposalPage, ProposalStage
from news.importer import read_article, save_article
from news.models import NewsPage
from search.backends import SearchRequest, get_backend, make_snippet
from search.backends.elastic import ArchiveDocument, build_search, highlighted, joined
from search.models import SearchDocument, SearchTerm
from search.segmentation import index_text, normalise, query_terms
from tests.factories import (
    BallotFactory,
    CommentFactory,
    EditorFactory,
    PollFactory,
    ProposalPageFactory,
    ResidentFactory,
    configured_site,
    sealed_civil_code_poll,
    site_tree,
)

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"


@pytest.fixture(autouse=True)
def _index_without_waiting_for_commit(monkeypatch):
    """The index is updated after the transaction commits; a test's transaction never does."""
    monkeypatch.setattr("search.signal_handlers._later", lambda task, pk: task.enqueue(pk))


def news_item(title: str, body: str, *, publish: bool = True, **fields) -> NewsPage:
    index = site_tree().news
    page = NewsPage(
        title=title,
        summary=body,
        date=fields.pop("date", datetime.date(2024, 5, 6)),
        **fields,
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.unpublish()
    return page


@pytest.fixture
def elevator_fund(django_capture_on_commit_callbacks) -> ProposalPage:
    """A publicised proposal whose Civil Code poll passed and was sealed; its document follows
    the seal, as after the seal's commit."""
    proposal = ProposalPageFactory(
        slug="elevator-maintenance-fund",
        title="使用维修资金更换1号楼电梯",
        stage=ProposalStage.PUBLICISED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        sealed_civil_code_poll(proposal)
    return proposal


def bike_shed() -> ProposalPage:
    return ProposalPageFactory(
        slug="bike-shed-charging",
        title="非机动车棚加装充电桩",
        summary="在 2 号楼旁车棚加装 20 个智能充电口，解决飞线充电问题。",
    )


def found(query: str, **filters) -> list[str]:
    return [hit.title for hit in get_backend().search(SearchRequest(query, filters)).hits]


# Segmentation and normalisation ---------------------------------------------------------------


def test_a_word_inside_unspaced_text_is_indexed_as_a_word():
    assert "议事厅" in index_text("社区通过议事厅功能实现居民自治").split()


def test_a_long_word_is_also_indexed_by_the_words_inside_it():
    words = index_text("推进老旧小区改造").split()
    assert {"老旧小区", "小区"} <= set(words)


def test_a_query_that_jieba_splits_asks_for_every_part_and_finds_the_phrase():
    assert query_terms("幸福里社区") == ["幸福", "里", "社区"]
    assert query_terms("议事厅 停车位") == ["议事厅", "停车位"]
    news_item("秋季趣味运动会", "本周六在幸福里社区广场举行。")
    news_item("幸福与社区", "邻里之间的幸福，在社区里。")
    top = found("幸福里社区")
    assert top[0] == "秋季趣味运动会"


def test_full_width_case_and_traditional_forms_are_folded():
    assert normalise("ＷｉＦｉ　１２３") == "wifi 123"
    assert normalise("議事廳電梯") == "议事厅电梯"
    assert query_terms("議事廳") == query_terms("议事厅")


def test_mixed_chinese_english_and_numbers_are_kept_apart():
    words = index_text("3号楼WiFi信号差，5G基站").split()
    assert {"3", "wifi", "信号", "5g", "基站"} <= set(words)
    news_item("3号楼WiFi改造", "3号楼公共区域WiFi信号差，将加装5G基站。")
    assert found("wifi 5G") == ["3号楼WiFi改造"]
    assert found("ＷＩＦＩ") == ["3号楼WiFi改造"]


def test_punctuation_only_queries_ask_for_nothing():
    assert query_terms("，。！？") == []
    response = Client().get("/search/", {"q": "，。！"})
    assert response.status_code == 200 and "没有找到" in response.content.decode()


def test_jieba_caches_its_dictionary_in_the_configured_directory(settings):
    import jieba

    index_text("初始化")
    assert Path(jieba.dt.tmp_dir) == Path(settings.JIEBA_CACHE_DIR)


# Indexing follows the pages -------------------------------------------------------------------


def test_a_word_inside_a_published_item_is_found_and_highlighted():
    news_item("四月居民议事会纪要", "社区通过议事厅功能实现居民自治，本月讨论了晾衣杆安装。")
    response = get_backend().search(SearchRequest("议事厅"))
    hit = next(h for h in response.hits if h.title == "四月居民议事会纪要")
    assert "<mark>议事厅</mark>" in hit.snippet
    assert "四月居民议事会纪要" in found("晾衣杆")


def test_several_words_must_all_be_there():
    news_item("晾衣杆安装通知", "3号楼阳台统一安装晾衣杆。")
    news_item("停车位调整通知", "东门停车位调整。")
    assert found("晾衣杆 停车位") == []
    assert found("晾衣杆 阳台") == ["晾衣杆安装通知"]


def test_drafts_unpublished_and_private_pages_are_not_found():
    news_item("草稿里的邻里互助券", "邻里互助券试点方案草稿。", publish=False)
    assert found("邻里互助券") == []
    page = news_item("邻里互助券开张", "社区邻里互助券正式开张。")
    assert found("邻里互助券") == ["邻里互助券开张"]
    page.unpublish()
    assert found("邻里互助券") == []
    page.save_revision().publish()
    assert found("邻里互助券") == ["邻里互助券开张"]
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert found("邻里互助券") == []
    assert not SearchDocument.objects.filter(page=page).exists()


def test_a_deleted_or_moved_page_follows_at_once():
    page = news_item("调解室搬家", "调解室搬到二楼。")
    assert found("调解室") == ["调解室搬家"]
    page.delete()
    assert found("调解室") == []


def test_personal_data_comments_and_ballots_stay_out_of_the_index():
    from django.core.management import call_command

    user = ResidentFactory()
    user.real_name, user.phone = "刘桂兰", "13912345678"
    user.save()
    proposal = bike_shed()
    CommentFactory(proposal=proposal, author=user, text="支持！我家电动车一直推上楼充电。")
    BallotFactory(poll=PollFactory(proposal=proposal), voter=user)
    call_command("update_index", verbosity=0, stdout=open(os.devnull, "w"))
    for document in SearchDocument.objects.all():
        for private in ("刘桂兰", "13912345678", "支持！我家电动车"):
            assert private not in document.text + document.segmented_text
    assert found("刘桂兰") == [] and found("13912345678") == []


def test_proposals_carry_their_stage_and_sealed_result(elevator_fund):
    document = SearchDocument.objects.get(page__slug="elevator-maintenance-fund")
    assert (document.kind, document.result) == ("proposal", "passed")
    assert document.stage


def test_update_index_rebuilds_the_documents_from_the_pages():
    from django.core.management import call_command

    news_item("垃圾分类投放点调整公告", "为减少异味，投放点移至北门内侧。")
    SearchDocument.objects.all().delete()
    assert found("垃圾分类") == []
    call_command("update_index", verbosity=0, stdout=open(os.devnull, "w"))
    assert "垃圾分类投放点调整公告" in found("垃圾分类")


@pytest.fixture
def forget_terms():
    """jieba's dictionary lives in the process: take the test's words out again."""
    import jieba

    from search import segmentation

    added: list[str] = []
    yield added
    for word in added:
        jieba.del_word(word)
        segmentation._editor_terms.discard(word)


def test_a_term_editors_add_is_kept_whole_and_its_pages_reindexed(forget_terms):
    forget_terms.append("幸福里")
    news_item("幸福里邻里节", "幸福里社区第三届邻里节周六举行。")
    assert "幸福里" not in index_text("幸福里社区").split()
    SearchTerm.objects.create(word="幸福里")
    assert "幸福里" in index_text("幸福里社区").split()
    document = SearchDocument.objects.get(title="幸福里邻里节")
    assert "幸福里" in document.segmented_text.split()
    assert found("幸福里") == ["幸福里邻里节"]


# The page -------------------------------------------------------------------------------------


def test_facets_count_by_type_year_category_and_stage():
    bike_shed()
    news_item("旧闻：车棚改造", "车棚改造完成。", date=datetime.date(2021, 3, 1))
    response = get_backend().search(SearchRequest("车棚"))
    kinds = dict(response.facets["kind"])
    assert kinds.get("news", 0) >= 1 and kinds.get("proposal", 0) >= 1
    assert "2021" in dict(response.facets["year"])
    assert found("车棚", year=2021) == ["旧闻：车棚改造"]
    assert all(
        hit.kind == "proposal"
        for hit in get_backend().search(SearchRequest("车棚", {"kind": "proposal"})).hits
    )


def test_the_search_page_shows_results_facets_sorting_and_pagination():
    for n in range(12):
        news_item(
            f"网格员走访记录 {n}", "网格员上门走访独居老人。", date=datetime.date(2023, 1, n + 1)
        )
    html = Client().get("/search/", {"q": "网格员"}).content.decode()
    assert "“网格员”共有" in html and "条结果" in html
    assert "<mark>网格员</mark>" in html
    assert 'href="?q=%E7%BD%91%E6%A0%BC%E5%91%98&amp;kind=news"' in html
    assert "第 1 页，共 2 页" in html
    params = {"q": "网格员", "sort": "date", "year": "2023"}
    by_date = Client().get("/search/", params).content.decode()
    assert by_date.index("网格员走访记录 11") < by_date.index("网格员走访记录 10")
    assert by_date.index("网格员走访记录 10") < by_date.index("网格员走访记录 2<")
    for bad in ({"page": "abc"}, {"page": "999"}, {"kind": "nope"}, {"year": "12345"}):
        assert Client().get("/search/", {"q": "网格员", **bad}).status_code == 200


def test_the_query_is_escaped_wherever_it_is_shown():
    payload = '"><script>alert(1)</script>'
    response = Client().get("/search/", {"q": payload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_snippets_escape_page_text_and_mark_only_the_words():
    snippet = make_snippet("<b>议事厅</b> 开会 & 讨论", ["议事厅"])
    assert snippet == "&lt;b&gt;<mark>议事厅</mark>&lt;/b&gt; 开会 &amp; 讨论"


def test_json_answers_the_documented_shape():
    news_item("污水管道疏通", "北区污水管道本周疏通。")
    data = Client().get("/search/", {"q": "污水", "format": "json"}).json()
    assert set(data) == {"query", "total", "results", "facets"}
    assert data["query"] == "污水" and data["total"] >= 1
    first = data["results"][0]
    assert set(first) == {"title", "url", "type", "date", "snippet"}
    assert first["title"] == "污水管道疏通" and first["type"] == "news"
    assert first["date"] == "2024-05-06" and "<mark>污水</mark>" in first["snippet"]
    assert set(data["facets"]) == {"kind", "year", "category", "stage"}


def test_the_archive_lists_everything_public_by_year_and_type(elevator_fund):
    news_item("二〇二二年的通知", "旧通知。", date=datetime.date(2022, 6, 1))
    html = Client().get("/archive/").content.decode()
    assert "2022" in html
    listing = Client().get("/archive/", {"year": "2022", "kind": "news"}).content.decode()
    assert "二〇二二年的通知" in listing
    proposals = (
        Client()
        .get("/archive/", {"year": str(SearchDocument.objects.get(result="passed").year)})
        .content.decode()
    )
    assert "结果：通过" in proposals
    sealed = Poll.objects.filter(sealed_at__isnull=False, proposal__live=True).first()
    assert sealed.ledger_head and sealed.ledger_head in proposals  # the seal, published
    assert Client().get("/archive/", {"year": "abc", "page": "x"}).status_code == 200


def test_the_search_page_queries_do_not_grow_with_results(django_assert_max_num_queries):
    configured_site()
    for n in range(30):
        news_item(f"志愿者招募 {n}", "招募志愿者。")
    with django_assert_max_num_queries(12):
        assert Client().get("/search/", {"q": "志愿者"}).status_code == 200


# Elasticsearch, as data -----------------------------------------------------------------------


def test_elasticsearch_mapping_needs_no_plugin():
    mapping = ArchiveDocument._doc_type.mapping.to_dict()
    properties = mapping["properties"]
    assert properties["segmented_text"]["analyzer"] == "presegmented"
    assert properties["kind"]["type"] == "keyword" and properties["year"]["type"] == "integer"
    analysis = ArchiveDocument._index.to_dict()["settings"]["analysis"]
    assert analysis["analyzer"]["presegmented"] == {
        "type": "custom",
        "tokenizer": "whitespace",
        "filter": ["lowercase"],
    }


def test_elasticsearch_query_requires_every_segmented_word_with_facets_and_highlights():
    body = build_search(
        SearchRequest("幸福里社区", {"kind": "news"}, sort="date", page=2, per_page=10), "idx"
    ).to_dict()
    match = body["query"]["bool"]["must"][0]["multi_match"]
    assert match["query"] == "幸福 里 社区" and match["operator"] == "and"
    assert body["query"]["bool"]["filter"] == [{"term": {"kind": "news"}}]
    assert set(body["aggs"]) == {"kind", "year", "category", "stage"}
    assert "segmented_text" in body["highlight"]["fields"]
    assert body["from"] == 10 and body["size"] == 10
    assert body["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}


def test_engine_highlights_are_rejoined_and_escaped():
    fragment = "社区 通过 \ue000议事厅\ue001 功能 <b> 实现"
    assert joined("社区 通过 议事厅") == "社区通过议事厅"
    assert str(highlighted(fragment)) == "社区通过<mark>议事厅</mark>功能 &lt;b&gt; 实现"


@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="no Elasticsearch server here: set ELASTICSEARCH_URL to run against a real cluster",
)
def test_against_a_real_elasticsearch_cluster(settings):
    from search.backends.elastic import ElasticsearchBackend

    backend = ElasticsearchBackend(
        {"URL": os.environ["ELASTICSEARCH_URL"], "INDEX": "yishiting-test", "TIMEOUT": 10}
    )
    news_item("网格员培训", "社区网格员参加消防培训。")
    assert backend.rebuild() == SearchDocument.objects.count()
    response = backend.search(SearchRequest("网格员"))
    assert "网格员培训" in [hit.title for hit in response.hits]
    assert "<mark>" in str(response.hits[0].snippet)


# The real corpus ------------------------------------------------------------------------------

README_WORDS = [
    "议事厅", "红管家", "时间银行", "调解室", "停车位",
    "晾衣杆", "飞线充电", "污水", "网格员", "党支部",
]  # fmt: skip


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the seed corpus lives in ../shared, not here")
def test_every_word_in_the_corpus_readme_finds_its_article():
    index = site_tree().news
    texts = {}
    for path in sorted(CORPUS.glob("*.txt")):
        article = read_article(path.name, path.read_bytes())
        page, _ = save_article(article, f"corpus:{path.name}", index)
        texts[page.title] = path.read_text(encoding="utf-8")
    for word in README_WORDS:
        expected = {title for title, text in texts.items() if word in text}
        assert expected, word
        top = set(found(word)[:10])
        assert expected <= top, (word, expected - top)
    assert not set(found("量子计算机")) & set(texts)


def test_editors_add_search_terms_in_the_admin(client_for, forget_terms):
    forget_terms.append("红石榴")
    response = client_for(EditorFactory()).post(
        "/admin/snippets/search/searchterm/add/", {"word": "红石榴"}
    )
    assert response.status_code == 302
    assert "红石榴" in index_text("红石榴志愿队").split()
    assert (
        client_for(ResidentFactory()).get("/admin/snippets/search/searchterm/").status_code == 302
    )


def test_an_old_page_with_the_words_in_its_title_ranks_first_and_every_match_is_listed_once(
    monkeypatch,
):
    # PostgreSQL ranks among the newest matches plus the title matches; a tiny window here makes
    # the later pages (ranked first, then the rest by date) part of the test on either database.
    monkeypatch.setattr("search.backends.database.RANK_CANDIDATES", 3)
    old = news_item("雨水篦子清淤通知", "旧通知。", date=datetime.date(2019, 1, 2))
    for n in range(8):
        news_item(f"楼道通知 {n}", "居民反映雨水篦子堵塞。", date=datetime.date(2024, 1, n + 1))
    backend = get_backend()
    first = backend.search(SearchRequest("雨水篦子", per_page=2))
    assert first.total == 9 and first.hits[0].page_id == old.pk
    seen = [
        hit.page_id
        for page in range(1, 6)
        for hit in backend.search(SearchRequest("雨水篦子", page=page, per_page=2)).hits
    ]
    assert len(seen) == 9 and len(set(seen)) == 9
