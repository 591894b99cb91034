"""The workbench in a real browser: Debian's chromium driven by Playwright, over the bundled samples.

Checks what only a browser can: the pages lay out right-to-left, plotly draws its charts from the
locally served JS, an analyst can click from an actor to one of its events to the evidence
sentence, and hostile article text never runs (no dialog opens).  Screenshots of the overview and
the document view go to /tmp for a person to look at.

Needs /usr/bin/chromium (``bash scripts/install_browser.sh``) and the ``playwright`` package; skips
cleanly without them.  Never runs ``playwright install``: the system chromium is used.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (run: bash scripts/install_browser.sh)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                               "(pip install playwright; the system chromium is used, no 'playwright install')")
uvicorn = pytest.importorskip("uvicorn")

from marsad.cli import ingest_into  # noqa: E402
from marsad.serve.app import create_app, prepare  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = Path("/tmp")
XSS_ID = "hostile-article"
XSS_ARTICLE = {
    "id": XSS_ID, "outlet": "<img src=x onerror=alert('outlet')>", "date": "2023-05-04",
    "title": "<script>alert('title')</script> وزير الخارجية يزور عمّان",
    "text": ("وزير الخارجية يزور عمّان <script>alert('text')</script>\n\n"
             "التقى وزير الخارجية المصري سامح شكري في عمّان نظيره الأردني أيمن الصفدي اليوم الخميس "
             "<img src=x onerror=alert('img')> وبحث الجانبان العلاقات الثنائية.\n\n"
             "وقالت وزارة الخارجية الأردنية إن الأردن ومصر وقعا اتفاقية تعاون جديدة."),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Iterator[str]:
    """The app over a demo store (samples + one hostile article), served by uvicorn in a thread."""
    tmp = tmp_path_factory.mktemp("browser")
    hostile = tmp / "hostile.jsonl"
    hostile.write_text(json.dumps(XSS_ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp / "demo.db"
    _, failed = ingest_into(db, [str(samples_dir), str(hostile)], None)
    assert failed == 0
    prepare(db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the workbench server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page that records every dialog (alert/confirm/prompt) and every script error."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 950}, locale="ar")
    pg = ctx.new_page()
    pg.dialogs = []
    pg.errors = []

    def on_dialog(d: Any) -> None:
        pg.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.set_default_timeout(10_000)
    yield pg
    ctx.close()


def _open(page: Any, url: str) -> None:
    resp = page.goto(url)
    assert resp is not None and resp.ok, f"{url}: HTTP {resp.status if resp else '?'}"


def _rtl(page: Any, selector: str = "body") -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).direction")


def _chart_drawn(page: Any, div_id: str) -> None:
    page.wait_for_selector(f"#{div_id} svg.main-svg", state="attached")
    assert page.locator(f"#{div_id} svg").count() > 0


def test_overview_is_rtl_with_charts(page: Any, base_url: str) -> None:
    _open(page, base_url + "/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert _rtl(page) == "rtl"
    _chart_drawn(page, "network")
    _chart_drawn(page, "timeline")
    assert page.locator("#network .scatterlayer .point").count() > 3  # actor nodes were drawn
    assert page.locator("#top-actors a.actor").count() > 0
    page.screenshot(path=str(SHOTS / "marsad-overview.png"))
    assert not page.errors and not page.dialogs


def test_actor_to_event_to_evidence_sentence(page: Any, base_url: str) -> None:
    _open(page, base_url + "/")
    actor = page.locator("#top-actors a.actor").first
    name = actor.inner_text()
    actor.click()
    page.wait_for_url("**/entities/**")
    assert name.split("·")[0].strip() in page.locator("h1").inner_text()
    event_link = page.locator("#as-actor table.events tbody a[href^='/events/'], "
                              "#as-recipient table.events tbody a[href^='/events/']").first
    event_link.click()
    page.wait_for_url("**/events/**")
    quote = page.locator("a.evidence-quote").first
    href = quote.get_attribute("href")
    assert href and "#s" in href
    quote.click()
    page.wait_for_url("**/documents/**")
    fragment = page.evaluate("location.hash")
    assert fragment.startswith("#s") and fragment == "#" + href.split("#", 1)[1]
    sentence = page.locator(fragment)
    assert sentence.is_visible()
    assert sentence.evaluate("el => el.matches(':target') && el.classList.contains('target')")
    bg = sentence.evaluate("el => getComputedStyle(el).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")  # the evidence sentence is highlighted
    assert _rtl(page, "article.doc-text") == "rtl"
    assert page.locator("article.doc-text .m-entity").count() > 0
    assert page.locator("article.doc-text .m-trigger").first.is_visible()
    page.screenshot(path=str(SHOTS / "marsad-document.png"))
    assert not page.errors and not page.dialogs


def test_every_page_renders(page: Any, base_url: str) -> None:
    _open(page, base_url + "/documents")
    assert page.locator("table tbody tr").count() >= 5
    _open(page, base_url + "/entities?type=PER")
    assert page.locator("table tbody a.actor").count() > 0
    _open(page, base_url + "/events?category=CONSULT")
    assert page.locator("table.events tbody tr").count() > 0
    _open(page, base_url + "/search?q=" + "قطر")
    assert page.locator("ol.hits mark").count() > 0
    assert page.locator("ol.hits a.evidence-quote").first.get_attribute("href").count("#s") == 1
    # a counterpart's dyad page draws the cooperation-conflict timeline
    _open(page, base_url + "/entities/qatar")
    page.locator("a.dyad").first.click()
    page.wait_for_url("**/dyads/**")
    _chart_drawn(page, "dyad")
    assert _rtl(page) == "rtl"
    # a document view from the list, top of the page
    _open(page, base_url + "/documents/doha-visit")
    assert page.locator("aside.records table.events tbody tr").count() > 0
    page.screenshot(path=str(SHOTS / "marsad-document-top.png"))
    assert not page.errors and not page.dialogs


def test_hostile_article_never_runs(page: Any, base_url: str) -> None:
    urls = ["/", "/documents", f"/documents/{XSS_ID}", "/entities", "/events", "/search?q=alert",
            "/search?q=" + "الصفدي"]
    for url in urls:
        _open(page, base_url + url)
        page.wait_for_load_state("load")
    _open(page, base_url + f"/documents/{XSS_ID}")
    assert "<script>alert('title')</script>" in page.locator("h1").inner_text()  # shown as text
    assert "<img src=x onerror=alert('img')>" in page.locator("article.doc-text").inner_text()
    assert page.locator("article.doc-text img, article.doc-text script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == [], f"a dialog opened: {page.dialogs}"

