"""Median server-side time of §3.2's text -> prediction + per-token readouts.

    .venv/bin/python bench/bench_text.py [--repeat 200]

What the page pays per rerun: ``dlplay.text.numpy_net.predict`` on a 30-word
English sentence and a 30-character Chinese one, for each shipped cell
(models already loaded, as the process keeps them), and what a pasted
100,000-character text costs: it is cut where the model stops reading.
Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dlplay.text import numpy_net as text_model  # noqa: E402
from dlplay.text.tokens import LANGS, tokenize  # noqa: E402

SENTENCES = {
    "en": ("the film is not as good as its cast , but the story still moves along nicely and "
           "the last half hour is genuinely funny , warm and surprisingly moving for everyone"),
    "zh": "房间不算大，但是很干净，服务员态度也很好，早餐种类不多，位置非常方便，下次还会再来。",
}
LONG_TEXTS = {"'good movie ' x 50,000": "good movie " * 50_000, "'很好' x 50,000": "很好" * 50_000,
              "'x' x 100,000": "x" * 100_000}


def median_ms(function, repeat: int) -> float:
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def measure(repeat: int = 200) -> dict:
    """Milliseconds to load every shipped model, and medians of ``predict`` per language and cell,
    on long texts, and of tokenising a long text up to the words an English model reads."""
    start = time.perf_counter()
    for lang in LANGS:
        for cell in text_model.CELLS:
            text_model.load_model(lang, cell)
    load_ms = 1000 * (time.perf_counter() - start)
    results = {"load_all_models_ms": round(load_ms, 1), "predict_median_ms": {}}
    for lang, sentence in SENTENCES.items():
        n_tokens = len(tokenize(sentence, lang))
        for cell in text_model.CELLS:
            ms = median_ms(lambda sentence=sentence, lang=lang, cell=cell:
                           text_model.predict(sentence, lang=lang, cell=cell), repeat)
            results["predict_median_ms"][f"{lang}_{cell} ({n_tokens} tokens)"] = round(ms, 3)
    long_repeat = min(20, repeat)
    results["predict_long_text_median_ms"] = {
        what: round(median_ms(lambda long_text=long_text: text_model.predict(long_text), long_repeat), 3)
        for what, long_text in LONG_TEXTS.items()}
    results["predict_100k_chars_median_ms"] = results["predict_long_text_median_ms"]["'good movie ' x 50,000"]
    words = "word " * 20_000
    limit = text_model.MAXLEN["en"] + 1
    results["tokenize_100k_chars_median_ms"] = round(median_ms(lambda: tokenize(words, "en", limit=limit), repeat), 3)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(measure(args.repeat), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
