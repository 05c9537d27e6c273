"""Median server-side time of lesson 4's text -> prediction + per-token readouts.

    .venv/bin/python bench/bench_text.py [--repeat 200]

What the page pays per rerun: ``dlplay.text.predict`` on a 30-word English
sentence and a 30-character Chinese one, for each shipped cell (models
already loaded, as ``st.cache_resource`` keeps them). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dlplay.text import model as text  # noqa: E402

SENTENCES = {
    "en": ("the film is not as good as its cast , but the story still moves along nicely and "
           "the last half hour is genuinely funny , warm and surprisingly moving for everyone"),
    "zh": "房间不算大，但是很干净，服务员态度也很好，早餐种类不多，位置非常方便，下次还会再来。",
}


def median_ms(function, repeat: int) -> float:
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def measure(repeat: int = 200) -> dict:
    """Seconds to load every shipped model, and median milliseconds of ``text.predict`` per language and cell."""
    start = time.perf_counter()
    for lang in text.LANGS:
        for cell in text.available_cells(lang):
            text.load_model(lang, cell)
    load_ms = 1000 * (time.perf_counter() - start)
    results = {"load_all_models_ms": round(load_ms, 1), "predict_median_ms": {}}
    for lang, sentence in SENTENCES.items():
        n_tokens = len(text.tokenize(sentence, lang))
        for cell in text.available_cells(lang):
            ms = median_ms(lambda: text.predict(sentence, lang=lang, cell=cell), repeat)
            results["predict_median_ms"][f"{lang}_{cell} ({n_tokens} tokens)"] = round(ms, 3)
    long_text = "good movie " * 50_000
    results["predict_100k_chars_median_ms"] = round(median_ms(lambda: text.predict(long_text), min(20, repeat)), 3)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(measure(args.repeat), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
