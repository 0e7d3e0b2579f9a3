"""Story folding quality and speed: reprint variants of authored articles, folded into stories.

Works: the demo's authored articles (src/huiwen/newsroom/demo_content.py); copies the demo
marks with the same "story" key are one work. Each work is reprinted in VARIANTS ways a real
reprint differs from its original: punctuation width, Traditional script, a portal's header
and footer lines, an editor's note, a trimmed lede, a dropped last paragraph, small wording
edits, paragraphs re-wrapped, and several of these at once.

Every variant is folded with the production mechanism (text.fingerprint: MinHash signature,
LSH band lookup, confirmation by estimated similarity), in random order, and pairs are scored:
a pair is predicted "same work" when both land in one story. In the same run, two anchors:
exact hashing of the normalised text, and 64-bit SimHash at Hamming distance 3.

    .venv/bin/python bench/dedupe.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import re
import time
import zlib
from collections import defaultdict
from collections.abc import Callable

import numpy as np
import opencc

from huiwen.newsroom import demo_content
from huiwen.text import fingerprint
from huiwen.text.chinese import fold, words

HALF_WIDTH = str.maketrans({"，": ",", "。": ".", "：": ":", "；": ";", "“": '"', "”": '"', "（": "(", "）": ")",
                            "！": "!", "？": "?", "、": ","})
TO_TRADITIONAL = opencc.OpenCC("s2t")


def _trim_lede(paragraphs: list[str]) -> list[str]:
    first = re.split(r"(?<=。)", paragraphs[0], maxsplit=1)
    return ([first[1]] if len(first) > 1 and first[1].strip() else []) + paragraphs[1:]


VARIANTS: dict[str, Callable[[list[str]], list[str]]] = {
    "original": lambda p: p,
    "half-width punctuation": lambda p: [x.translate(HALF_WIDTH) for x in p],
    "traditional": lambda p: [TO_TRADITIONAL.convert(x) for x in p],
    "portal header and footer": lambda p: ["本文转自某某新闻网,转载请注明出处。", *p, "(责任编辑:何某)",
                                           "免责声明:本站转载仅供参考,不代表本站观点。"],
    "editor's note": lambda p: ["编者按:这篇报道记录了一个值得关注的变化,今天转发给读者。", *p],
    "trimmed lede": _trim_lede,
    "dropped last paragraph": lambda p: p[:-1] if len(p) > 3 else p,
    "wording edits": lambda p: [x.replace("记者", "本报记者").replace("表示", "说").replace("目前", "眼下") for x in p],
    "re-wrapped": lambda p: ["".join(p)],
    "several at once": lambda p: ["来源:某某晚报", *[TO_TRADITIONAL.convert(x).translate(HALF_WIDTH)
                                                  for x in _trim_lede(p)], "(责编:李某)"],
}


def corpus() -> list[tuple[int, str, str]]:
    """(work id, variant name, text) for every variant of every authored work."""
    work_of: dict[str, int] = {}
    docs = []
    for index, article in enumerate(demo_content.ARTICLES):
        work = work_of.setdefault(article.get("story") or f"article-{index}", len(work_of))
        for name, make in VARIANTS.items():
            docs.append((work, name, "\n".join(make(list(article["body"])))))
    return docs


def fold_with_lsh(docs: list[tuple[int, str, str]]) -> list[int]:
    """Story id per document, assigned one at a time as the collector does."""
    bands: dict[int, list[int]] = defaultdict(list)
    signatures: list[fingerprint.Signature] = []
    story_of: list[int] = []
    for index, (_, _, text) in enumerate(docs):
        signature = fingerprint.signature(text)
        keys = signature.band_keys()
        candidates = {other for key in keys for other in bands[key]}
        best, best_score = None, fingerprint.SAME_WORK
        for other in candidates:
            score = fingerprint.similarity(signature, signatures[other])
            if signature.usable and signatures[other].usable and score >= best_score:
                best, best_score = other, score
        story_of.append(story_of[best] if best is not None else index)
        signatures.append(signature)
        for key in keys:
            bands[key].append(index)
    return story_of


def fold_exact(docs: list[tuple[int, str, str]]) -> list[int]:
    first: dict[str, int] = {}
    labels = []
    for index, (_, _, text) in enumerate(docs):
        digest = hashlib.sha256("".join(words(text)).encode()).hexdigest()
        labels.append(first.setdefault(digest, index))
    return labels


def simhash(text: str) -> int:
    tokens = words(text)
    hashes = np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))
    features = fingerprint._mix((hashes[:-1] << np.uint64(32)) | hashes[1:])
    bits = np.unpackbits(features.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(features)
    return int(np.packbits(votes > 0, bitorder="little").view("<u8")[0])


def fold_simhash(docs: list[tuple[int, str, str]], distance: int = 3) -> list[int]:
    hashes: list[int] = []
    labels: list[int] = []
    for index, (_, _, text) in enumerate(docs):
        value = simhash(text)
        match = next((j for j, other in enumerate(hashes) if (value ^ other).bit_count() <= distance), None)
        labels.append(labels[match] if match is not None else index)
        hashes.append(value)
    return labels


def score(docs: list[tuple[int, str, str]], labels: list[int]) -> tuple[float, float, dict[str, float]]:
    tp = fp = fn = 0
    missed_by_variant: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # type: ignore[arg-type]
    for (i, a), (j, b) in itertools.combinations(enumerate(docs), 2):
        same, predicted = a[0] == b[0], labels[i] == labels[j]
        tp += same and predicted
        fp += predicted and not same
        fn += same and not predicted
        if same and "original" in (a[1], b[1]):
            variant = b[1] if a[1] == "original" else a[1]
            missed_by_variant[variant][0] += predicted
            missed_by_variant[variant][1] += 1
    recall_by_variant = {name: hit / total for name, (hit, total) in missed_by_variant.items()}
    return tp / max(1, tp + fp), tp / max(1, tp + fn), recall_by_variant


def speed(texts: list[str], seconds: float, function: Callable[[str], object]) -> float:
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for text in texts:
            function(text)
        done += len(texts)
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description="Story folding benchmark")
    parser.add_argument("--seconds", type=float, default=5.0, help="time per speed measurement")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    docs = corpus()
    random.Random(args.seed).shuffle(docs)
    works = len({work for work, _, _ in docs})
    mean_chars = sum(len(text) for _, _, text in docs) / len(docs)
    print(f"{len(docs)} documents: {works} works x {len(VARIANTS)} variants, mean {mean_chars:.0f} characters")

    print(f"\n{'method':<36}{'precision':>10}{'recall':>8}")
    results = {}
    for name, folder in [("huiwen: MinHash + LSH (text.fingerprint)", fold_with_lsh),
                         ("anchor: exact hash of normalised text", fold_exact),
                         ("anchor: SimHash, Hamming <= 3", fold_simhash)]:
        precision, recall, by_variant = score(docs, folder(docs))
        results[name] = by_variant
        print(f"{name:<36}{precision:>10.4f}{recall:>8.4f}")
    print("\nrecall against the original, per variant (huiwen / exact / SimHash):")
    names = list(results)
    for variant in VARIANTS:
        if variant == "original":
            continue
        cells = " / ".join(f"{results[n].get(variant, 0):.2f}" for n in names)
        print(f"  {variant:<28}{cells}")

    texts = [text for _, _, text in docs]
    ours = speed(texts, args.seconds, lambda t: fingerprint.signature(t).band_keys())
    folding = speed(texts, args.seconds, fold)
    exact = speed(texts, args.seconds, lambda t: hashlib.sha256("".join(words(t)).encode()).digest())
    print("\nfingerprinting speed, one process:")
    print(f"  huiwen signature + band keys            {ours:>10,.0f} articles/s")
    print(f"  anchor: exact hash (with segmentation)  {exact:>10,.0f} articles/s  (huiwen/exact {ours / exact:.2f})")
    print(f"  folding to Simplified alone             {folding:>10,.0f} articles/s")


if __name__ == "__main__":
    main()
