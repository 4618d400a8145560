"""The offline text classifier, on small synthetic Vietnamese data (no embedding model: fast)."""

import io
import json
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from digitalfront.ai import classifier as clf_module
from digitalfront.ai.classifier import Prediction, StackedClassifier, TrainingDataError, get_classifier, train_and_save
from digitalfront.ai.text import fold, has_diacritics, normalise

# Three topics with their own vocabulary; sentences are random combinations, so held-out sentences
# are new but share the vocabulary of their class.
_VOCAB = {
    "giao_thong": ["đường", "ổ gà", "cầu", "xe tải", "đèn giao thông", "ùn tắc", "vỉa hè", "ngập nước"],
    "moi_truong": ["rác thải", "khói bụi", "nước thải", "ô nhiễm", "mùi hôi", "cây xanh", "kênh rạch", "tiếng ồn"],
    "hanh_chinh": ["hồ sơ", "giấy tờ", "thủ tục", "cán bộ", "chứng thực", "căn cước", "một cửa", "lệ phí"],
}
_FRAMES = ["phản ánh {a} và {b} ở phường", "đề nghị xử lý {a}, {b} kéo dài", "{a} rồi lại {b} quá lâu",
           "người dân bức xúc về {a} cùng {b}", "mong chính quyền giải quyết {a} và {b}"]


def _sentences(n: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for i in range(n):
        label = sorted(_VOCAB)[i % len(_VOCAB)]
        a, b = rng.sample(_VOCAB[label], 2)
        texts.append(rng.choice(_FRAMES).format(a=a, b=b))
        labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def trained() -> StackedClassifier:
    texts, labels = _sentences(90, seed=1)
    return StackedClassifier(use_embeddings=False).fit(texts, labels)


def test_text_views():
    assert normalise("Đường  HÀ Nội, ngập!") == "đường hà nội , ngập !"
    assert fold("Đường Hà Nội ước") == "duong ha noi uoc"
    # NFD input (combining marks) normalises to the same text as NFC input
    assert normalise("Hà Nội".encode().decode()) == normalise("Ha\u0300 No\u0323\u0302i")
    assert has_diacritics("đi") and has_diacritics("Ước") and not has_diacritics("duong ha noi")


def test_learns_separable_data(trained: StackedClassifier):
    texts, labels = _sentences(30, seed=2)
    predictions = trained.predict(texts)
    assert [p.label for p in predictions] == labels


def test_confidence_is_a_probability_and_label_is_argmax(trained: StackedClassifier):
    texts, _ = _sentences(12, seed=3)
    for p in trained.predict([*texts, "một câu chẳng liên quan gì", ""]):
        assert isinstance(p, Prediction)
        assert 0.0 <= p.confidence <= 1.0
        assert set(p.scores) == set(_VOCAB)
        assert sum(p.scores.values()) == pytest.approx(1.0)
        assert p.label == max(p.scores, key=p.scores.__getitem__)
        assert p.confidence == p.scores[p.label]
    # clear-cut held-out texts get a high probability, not a flat one
    assert trained.predict(["đường ổ gà và ùn tắc xe tải"])[0].confidence > 0.6


def test_unaccented_text_is_classified_like_accented(trained: StackedClassifier):
    texts, labels = _sentences(30, seed=4)
    folded = [fold(t) for t in texts]
    assert not any(has_diacritics(t) for t in folded)
    assert [p.label for p in trained.predict(folded)] == labels
    assert [p.label for p in trained.predict([t.upper() for t in texts])] == labels


def test_save_load_roundtrip(trained: StackedClassifier, tmp_path: Path):
    path = tmp_path / "m.joblib"
    trained.save(path)
    again = StackedClassifier.load(path)
    texts, _ = _sentences(15, seed=5)
    assert again.predict(texts) == trained.predict(texts)
    assert clf_module.load(path).labels == sorted(_VOCAB)
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["labels"] == sorted(_VOCAB) and meta["n_train"] == 90 and meta["version"] == clf_module.VERSION
    assert "trained_at" in meta


def test_training_data_errors():
    with pytest.raises(TrainingDataError, match="hai nhãn"):
        StackedClassifier(use_embeddings=False).fit(["a", "b"], ["x", "x"])
    with pytest.raises(TrainingDataError, match="ít nhất hai câu"):
        StackedClassifier(use_embeddings=False).fit(["a", "b", "c"], ["x", "x", "y"])
    with pytest.raises(RuntimeError):
        StackedClassifier(use_embeddings=False).predict(["a"])


def test_registry_loads_and_reloads(settings, tmp_path: Path):
    settings.DIGITALFRONT_MODELS_DIR = tmp_path
    assert get_classifier("chu_de") is None
    texts, labels = _sentences(45, seed=6)
    meta = train_and_save("chu_de", texts, labels, use_embeddings=False)
    assert meta["n_train"] == 45 and Path(meta["path"]) == tmp_path / "chu_de.joblib"
    assert 0.0 <= meta["cv_macro_f1"] <= 1.0
    first = get_classifier("chu_de")
    assert first is not None and get_classifier("chu_de") is first  # cached
    # a retrain replaces the file: the registry notices the new modification time
    two = [t for t, y in zip(texts, labels, strict=True) if y != "hanh_chinh"]
    train_and_save("chu_de", two, [y for y in labels if y != "hanh_chinh"], use_embeddings=False)
    path = tmp_path / "chu_de.joblib"
    stat = path.stat()
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # coarse clocks
    second = get_classifier("chu_de")
    assert second is not None and second is not first and len(second.labels) == 2
    with pytest.raises(ValueError, match="invalid model name"):
        get_classifier("../x")


def _write_tsv(path: Path, rows: list[tuple[str, str]], header: str = "text\ttopic") -> Path:
    path.write_text(header + "\n" + "".join(f"{t}\t{y}\n" for t, y in rows), encoding="utf-8")
    return path


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ai", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_eval_command_prints_one_json_line(tmp_path: Path):
    texts, labels = _sentences(60, seed=7)
    train = _write_tsv(tmp_path / "train.tsv", list(zip(texts, labels, strict=True)))
    texts, labels = _sentences(15, seed=8)
    test = _write_tsv(tmp_path / "test.tsv", list(zip(texts, labels, strict=True)))
    out, err = _run("eval-classifier", "--train", str(train), "--test", str(test), "--label", "topic",
                    "--no-embeddings")
    result = json.loads(out.strip().splitlines()[-1])
    for key in ("accuracy", "macro_f1", "n_train", "n_test", "label", "items_per_s", "train_s"):
        assert key in result
    assert result["n_train"] == 60 and result["n_test"] == 15 and result["label"] == "topic"
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    assert "Huấn luyện" in err


def test_train_command_writes_the_model(settings, tmp_path: Path):
    settings.DIGITALFRONT_MODELS_DIR = tmp_path / "models"
    rows = [(t, str(i % 2)) for i, t in enumerate(_sentences(20, seed=9)[0])]  # integer labels
    train = _write_tsv(tmp_path / "train.tsv", rows, header="text\tsentiment")
    out, _ = _run("train-classifier", "--train", str(train), "--label", "sentiment", "--name", "cam_xuc",
                  "--no-embeddings", "--quiet")
    assert json.loads(out.strip().splitlines()[-1])["labels"] == ["0", "1"]
    model = get_classifier("cam_xuc")
    assert model is not None and model.predict(["đường ngập"])[0].label in {"0", "1"}


@pytest.mark.parametrize(("content", "message"), [
    (None, "Không tìm thấy tệp"),
    (b"", "trống"),
    (b"cau\ttopic\nabc\t1\n", "không có cột text"),
    (b"text\tsentiment\nabc\t1\n", "không có cột nhãn topic"),
    ("text\ttopic\nđường xấu\t1\n".encode("cp1258", errors="replace"), "bảng mã"),
    ("text\ttopic\nđường xấu\t1\n".encode("utf-16"), "bảng mã"),
    (b"text\ttopic\n", "không có dòng dữ liệu"),
    (b"text\ttopic\nabc\t\n", "bỏ trống"),
])
def test_bad_tsv_gives_a_vietnamese_error(tmp_path: Path, content: bytes | None, message: str):
    bad = tmp_path / "bad.tsv"
    if content is not None:
        bad.write_bytes(content)
    good = _write_tsv(tmp_path / "good.tsv", list(zip(*_sentences(12, seed=10), strict=True)))
    with pytest.raises(CommandError, match=message):
        _run("eval-classifier", "--train", str(bad), "--test", str(good), "--label", "topic", "--no-embeddings")


def test_single_label_training_file_is_a_command_error(tmp_path: Path):
    one = _write_tsv(tmp_path / "one.tsv", [("đường ngập", "1"), ("cầu hỏng", "1")])
    with pytest.raises(CommandError, match="hai nhãn"):
        _run("eval-classifier", "--train", str(one), "--test", str(one), "--label", "topic", "--no-embeddings")
