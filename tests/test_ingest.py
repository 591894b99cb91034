"""Ingest: formats, encodings, cleaning, ids, duplicates and every kind of bad input."""

from __future__ import annotations

import gc
import io
import json

from marsad.doc import Document
from marsad.ingest.readers import IngestError, read_inputs, read_stream
from marsad.pipeline import Pipeline
from marsad.runner import BATCH_GC_THRESHOLD, process

BODY = "استقبل أمير قطر في الدوحة يوم الأحد وزير الخارجية التركي، وبحث الجانبان التعاون الاقتصادي."


def _docs(items):
    return [i for i in items if isinstance(i, Document)]


def _errors(items):
    return [i for i in items if isinstance(i, IngestError)]


def test_txt_title_and_id(tmp_path):
    p = tmp_path / "visit.txt"
    p.write_text("زيارة رسمية\n\n" + BODY, encoding="utf-8")
    [doc] = list(read_inputs([p]))
    assert doc.id == "visit" and doc.title == "زيارة رسمية"
    assert BODY in doc.text and doc.date is None and doc.date_source == "none"


def test_doc_date_option_applies_to_undated_inputs(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(BODY, encoding="utf-8")
    [doc] = list(read_inputs([p], doc_date="2020-07-20"))
    assert doc.date == "2020-07-20"


def test_jsonl_metadata_passthrough_and_errors(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a1", "title": "t", "date": "2021-03-04", "outlet": "منفذ", "url": "https://x.example",
                    "text": BODY, "author": "فلان", "section": "سياسة"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "a3", "title": "no text"}),
        "",
        json.dumps({"text": BODY + " ثانية"}, ensure_ascii=False),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a6", "text": BODY, "date": "yesterday"}, ensure_ascii=False),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([p]))
    docs, errs = _docs(items), _errors(items)
    assert [d.id for d in docs] == ["a1", "batch:5", "a6"]
    assert docs[0].meta == {"author": "فلان", "section": "سياسة"}
    assert docs[0].date == "2021-03-04" and docs[0].date_source == "metadata"
    assert any("unreadable date" in w for w in docs[2].warnings)
    msgs = {e.source: e.message for e in errs}
    assert "not valid JSON" in msgs[f"{p}:2"]
    assert "missing or empty 'text'" in msgs[f"{p}:3"]
    assert "expected a JSON object" in msgs[f"{p}:6"]


def test_html_main_text_title_date_url(tmp_path):
    html = f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
    <title>زيارة وزير الخارجية | موقع</title>
    <meta property="og:title" content="وزير الخارجية التركي في الدوحة">
    <meta property="article:published_time" content="2021-05-03T10:00:00+03:00">
    <link rel="canonical" href="https://news.example.org/a/1"></head><body>
    <nav><a href="/">الرئيسية</a> <a href="/p">سياسة</a> <a href="/e">اقتصاد</a></nav>
    <article><h1>وزير الخارجية التركي في الدوحة</h1>
    <p>{BODY}</p><p>وأكد الوزيران أهمية تعزيز العلاقات الثنائية بين البلدين في مختلف المجالات الاقتصادية والعسكرية.</p>
    <p>ومن المقرر أن يوقع البلدان اتفاقية جديدة للتعاون الدفاعي خلال الأشهر المقبلة في أنقرة.</p></article>
    <aside><a href="/x">أخبار ذات صلة</a></aside><footer>جميع الحقوق محفوظة</footer></body></html>"""
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    [doc] = list(read_inputs([p]))
    assert doc.id == "page"
    assert "وزير الخارجية التركي في الدوحة" in (doc.title or "")
    assert BODY in doc.text and "جميع الحقوق محفوظة" not in doc.text and "الرئيسية" not in doc.text
    assert doc.date == "2021-05-03" and doc.url == "https://news.example.org/a/1"


def test_encodings(tmp_path):
    text = "عنوان\n" + BODY
    cases = {
        "cp.txt": text.encode("cp1256"),
        "u16.txt": text.encode("utf-16"),
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "moji.txt": text.encode("utf-8").decode("latin-1").encode("utf-8"),  # UTF-8 read as Latin-1
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    docs = {d.id: d for d in _docs(read_inputs([tmp_path]))}
    for name in cases:
        assert BODY in docs[name[:-4]].text, name
    assert any("cp1256" in w for w in docs["cp"].warnings)
    assert any("utf-16" in w for w in docs["u16"].warnings)
    assert not docs["bom"].warnings


def test_bad_inputs_each_get_one_clear_error_and_the_rest_goes_through(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "english.txt").write_text("This article has no Arabic at all.", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"\n")
    missing = tmp_path / "nowhere.txt"
    items = list(read_inputs([tmp_path / "good.txt", tmp_path / "empty.txt", tmp_path / "binary.txt",
                              tmp_path / "english.txt", tmp_path / "notes.docx", big, missing]))
    assert [d.id for d in _docs(items)] == ["good"]
    errs = {e.source.rsplit("/", 1)[-1]: e.message for e in _errors(items)}
    assert errs["empty.txt"] == "empty file"
    assert "binary" in errs["binary.txt"]
    assert "no Arabic" in errs["english.txt"]
    assert "unsupported file type .docx" in errs["notes.docx"]
    assert "52.4 MB, larger than one article" in errs["big.txt"]
    assert "no such file" in errs["nowhere.txt"]


def test_folder_recursion_ids_and_stdin(tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "x.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "y.txt").write_text(BODY + " أيضا", encoding="utf-8")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    assert sorted(d.id for d in _docs(read_inputs([tmp_path]))) == ["a/b/x", "y"]
    [doc] = list(read_stream(io.BytesIO(BODY.encode()), "<stdin>"))
    assert doc.text == BODY
    jl = json.dumps({"id": "s1", "text": BODY}, ensure_ascii=False).encode()
    assert [d.id for d in read_stream(io.BytesIO(jl), "<stdin>")] == ["s1"]


def test_content_hash_id_when_no_id(tmp_path):
    import marsad.ingest.readers as r

    items = list(r._finish(iter([Document(id="", text=BODY)]), None))
    assert items[0].id.startswith("sha1-") and len(items[0].id) == 21


def test_cleaning_removes_footers_and_records_it(tmp_path):
    text = ("عنوان الخبر\n" + BODY + "., وأضاف المتحدث أن الزيارة ناجحة.\n"
            "اقرأ أيضا: وزير الخارجية يصل إلى أنقرة\nشارك على فيسبوك | تويتر | واتساب\n12 تعليق\n"
            "وختم المتحدث بالتأكيد على متانة العلاقات.\n\nاترك رداً\nلن يتم نشر عنوان بريدك الإلكتروني.\n"
            "الاسم *")
    p = tmp_path / "scraped.txt"
    p.write_text(text, encoding="utf-8")
    [doc] = _docs(read_inputs([p]))
    assert "وختم المتحدث" in doc.text
    for junk in ("اقرأ أيضا", "فيسبوك", "تعليق", "اترك", "بريدك", "الاسم"):
        assert junk not in doc.text, junk
    assert ".\nوأضاف" in doc.text  # glue became a paragraph break
    kinds = " ".join(doc.removed)
    for k in ("glue", "teaser", "share", "counter", "comment-form"):
        assert k in kinds, k


def test_sidecar_metadata_for_txt(tmp_path):
    (tmp_path / "art.txt").write_text("عنوان\n" + BODY, encoding="utf-8")
    (tmp_path / "art.meta.json").write_text(json.dumps({"date": "2023-07-18", "outlet": "منفذ",
                                                       "author": "كاتب"}, ensure_ascii=False), encoding="utf-8")
    docs = _docs(read_inputs([tmp_path]))  # the sidecar itself is not read as an article
    assert len(docs) == 1
    d = docs[0]
    assert (d.date, d.date_source, d.outlet, d.meta) == ("2023-07-18", "metadata", "منفذ", {"author": "كاتب"})
    [err] = _errors(read_inputs([tmp_path / "art.meta.json"]))
    assert "sidecar" in err.message


def test_a_batch_restores_the_garbage_collector(tmp_path):
    """process() sets the collector for the batch (frozen heap, rare collections) and puts it back
    when the batch is done or abandoned."""
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join(json.dumps({"id": str(i), "text": f"وصل الوفد {i} إلى الدوحة"}) for i in range(3)),
                 encoding="utf-8")
    before = gc.get_threshold()
    batch = process([f], Pipeline(["text"]))
    first = next(batch)
    assert first.record is not None
    assert gc.get_threshold()[0] == BATCH_GC_THRESHOLD and gc.get_freeze_count() > 0
    assert len([first, *batch]) == 3
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    abandoned = process([f], Pipeline(["text"]))
    next(abandoned)
    abandoned.close()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
