"""``digitalfront ai <subcommand>``: train and evaluate the offline text classifiers.

* ``eval-classifier --train FILE --test FILE --label COLUMN``: train on one TSV file, evaluate on
  another, print one JSON line of figures;
* ``train-classifier --train FILE --label COLUMN --name NAME``: train and store the model as
  ``DIGITALFRONT_MODELS_DIR/NAME.joblib``.

TSV files have a header with a ``text`` column and the label column. Progress goes to stderr; the
last line on stdout is the JSON result.
"""

import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from digitalfront.ai import embeddings
from digitalfront.ai.classifier import StackedClassifier, TrainingDataError, model_path, train_and_save
from digitalfront.core.text import has_bad_chars


def read_tsv(path: str, label: str) -> tuple[list[str], list[str]]:
    """The ``text`` column and the ``label`` column of a TSV file with a header; CommandError with
    a Vietnamese message when the file cannot be used."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"Không tìm thấy tệp {path}.")
    try:
        # utf-8-sig: files saved by spreadsheet programs start with a byte-order mark
        content = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(f"Tệp {path} không phải văn bản UTF-8 (sai bảng mã): lỗi ở byte {exc.start}.") from exc
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}.") from exc
    if has_bad_chars(content.replace("\r", "")):
        raise CommandError(f"Tệp {path} chứa ký tự điều khiển hoặc ký tự lỗi: kiểm tra lại bảng mã.")
    lines = content.splitlines()
    if not lines or not lines[0].strip():
        raise CommandError(f"Tệp {path} trống: cần một dòng tiêu đề có cột text và cột {label}.")
    # QUOTE_NONE: the texts contain quotation marks that are not CSV quoting
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [h.strip() for h in next(reader)]
    if "text" not in header:
        raise CommandError(f"Tệp {path} không có cột text trong dòng tiêu đề (các cột: {', '.join(header)}).")
    if label not in header:
        raise CommandError(f"Tệp {path} không có cột nhãn {label} (các cột: {', '.join(header)}).")
    i_text, i_label = header.index("text"), header.index(label)
    texts, labels = [], []
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(i_text, i_label):
            raise CommandError(f"Tệp {path}, dòng {line_no}: thiếu cột (có {len(row)}, cần {len(header)}).")
        value = row[i_label].strip()
        if not value:
            raise CommandError(f"Tệp {path}, dòng {line_no}: nhãn {label} bị bỏ trống.")
        texts.append(row[i_text])
        labels.append(value)
    if not texts:
        raise CommandError(f"Tệp {path} không có dòng dữ liệu nào.")
    return texts, labels


class Command(BaseCommand):
    help = "Huấn luyện và đánh giá bộ phân loại văn bản ngoại tuyến."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="LỆNH",
                                    parser_class=type(parser))  # CommandParser: errors become CommandError
        ev = sub.add_parser("eval-classifier", help="Huấn luyện trên một tệp TSV và đánh giá trên tệp khác",
                            called_from_command_line=getattr(parser, "called_from_command_line", None))
        ev.add_argument("--train", required=True, help="Tệp TSV huấn luyện (cột text và cột nhãn)")
        ev.add_argument("--test", required=True, help="Tệp TSV đánh giá")
        self._common(ev)
        tr = sub.add_parser("train-classifier", help="Huấn luyện và lưu mô hình vào DIGITALFRONT_MODELS_DIR",
                            called_from_command_line=getattr(parser, "called_from_command_line", None))
        tr.add_argument("--train", required=True, help="Tệp TSV huấn luyện (cột text và cột nhãn)")
        tr.add_argument("--name", required=True, help="Tên mô hình (tệp NAME.joblib)")
        self._common(tr)

    @staticmethod
    def _common(parser: Any) -> None:
        parser.add_argument("--label", required=True, help="Tên cột nhãn")
        parser.add_argument("--no-embeddings", action="store_true",
                            help="Không dùng véc-tơ nhúng e5 (nhanh hơn, kém chính xác hơn)")
        parser.add_argument("--threads", type=int, default=None,
                            help="Số luồng của mô hình nhúng (mặc định: mọi nhân)")
        parser.add_argument("--quiet", action="store_true", help="Không in tiến độ")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"]

        def progress(message: str) -> None:
            if not quiet:
                self.stderr.write(message)

        if options["threads"] is not None and options["threads"] < 1:
            raise CommandError("Số luồng phải là số nguyên dương.")
        if options["subcommand"] == "eval-classifier":
            result = self._evaluate(options, progress)
        else:
            result = self._train(options, progress)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _evaluate(self, options: dict[str, Any], progress: Any) -> dict[str, Any]:
        from sklearn.metrics import accuracy_score, f1_score  # type: ignore[import-untyped]

        label = options["label"]
        train_texts, train_labels = read_tsv(options["train"], label)
        test_texts, test_labels = read_tsv(options["test"], label)
        use_embeddings = not options["no_embeddings"]
        classifier = StackedClassifier(use_embeddings=use_embeddings, num_threads=options["threads"],
                                       embedding_cache=embeddings.default_cache() if use_embeddings else None)
        progress(f"Huấn luyện trên {len(train_texts)} câu, nhãn {label}")
        started = time.perf_counter()
        try:
            classifier.fit(train_texts, train_labels, progress=progress)
        except TrainingDataError as exc:
            raise CommandError(str(exc)) from exc
        train_s = time.perf_counter() - started
        progress(f"Dự đoán {len(test_texts)} câu")
        # the prediction path never reads the embedding cache, so this is the real throughput
        started = time.perf_counter()
        predictions = classifier.predict(test_texts)
        predict_s = time.perf_counter() - started
        predicted = [p.label for p in predictions]
        known = set(classifier.labels)
        unseen = sorted({y for y in test_labels if y not in known})
        if unseen:
            progress(f"Cảnh báo: nhãn không có trong tệp huấn luyện: {', '.join(unseen)}")
        return {
            "label": label,
            "accuracy": round(float(accuracy_score(test_labels, predicted)), 4),
            "macro_f1": round(float(f1_score(test_labels, predicted, average="macro")), 4),
            "n_train": len(train_texts),
            "n_test": len(test_texts),
            "labels": classifier.labels,
            "items_per_s": round(len(test_texts) / max(predict_s, 1e-9), 1),
            "train_s": round(train_s, 1),
            "predict_s": round(predict_s, 2),
            "cv_macro_f1": classifier.metadata.get("cv_macro_f1"),
            "mean_confidence": round(sum(p.confidence for p in predictions) / len(predictions), 4),
            "embeddings": use_embeddings,
            "python": sys.version.split()[0],
        }

    def _train(self, options: dict[str, Any], progress: Any) -> dict[str, Any]:
        try:
            model_path(options["name"])
        except ValueError as exc:
            raise CommandError(f"Tên mô hình không hợp lệ: {options['name']!r} (chỉ dùng chữ, số, dấu gạch).") from exc
        texts, labels = read_tsv(options["train"], options["label"])
        progress(f"Huấn luyện trên {len(texts)} câu, nhãn {options['label']}")
        try:
            return train_and_save(options["name"], texts, labels, use_embeddings=not options["no_embeddings"],
                                  num_threads=options["threads"], progress=progress)
        except TrainingDataError as exc:
            raise CommandError(str(exc)) from exc
