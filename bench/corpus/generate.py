"""Articles generated from the authored topics in topics.py, reproducibly (seeded).

An article belongs to one topic. Its title is one of the topic's title templates; its body is
paragraphs of 2-3 sentences, each drawn from the topic (about 65%), from the common local-news
sentences (20%) or from a neighbouring topic (15%: tea articles mention e-commerce, flood
articles the harvest), so topics overlap the way real news does. Slots take the topic's own
terms, fictional places, people and organisations, numbers and months. 85% of articles go to
their topic's channel, the rest to another channel (reprints are filed loosely). Optionally a
share of articles is converted to Traditional script (OpenCC s2twp), as reprints from Taiwan
and Hong Kong sources are.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from corpus.topics import CHANNELS, GENERIC, ORGS, PEOPLE, PLACES, TOPICS

BY_KEY = {topic["key"]: topic for topic in TOPICS}
NUMBERS = [3, 5, 6, 8, 12, 15, 20, 26, 30, 45, 60, 80, 120, 150, 300, 500, 1200, 3000]


@dataclass
class Generated:
    topic: str
    channel: str
    title: str
    body: str  # HTML paragraphs
    published_at: datetime
    traditional: bool


def _fill(template: str, rng: random.Random, terms: list[str]) -> str:
    term, term2 = rng.sample(terms, 2)
    place, place2 = rng.sample(PLACES, 2)
    return template.format(
        term=term, term2=term2, place=place, place2=place2, n=rng.choice(NUMBERS), m=rng.randint(1, 12),
        person=rng.choice(PEOPLE), org=rng.choice(ORGS),
    )


def _sentence(rng: random.Random, topic: dict) -> str:
    roll = rng.random()
    if roll < 0.65:
        return _fill(rng.choice(topic["sentences"]), rng, topic["terms"])
    if roll < 0.85:
        return _fill(rng.choice(GENERIC), rng, topic["terms"])
    neighbour = BY_KEY[topic["neighbour"]]
    return _fill(rng.choice(neighbour["sentences"]), rng, neighbour["terms"])


def article(
    rng: random.Random, topic: dict, published_at: datetime, sentences: tuple[int, int], to_traditional=None
) -> Generated:
    title = _fill(rng.choice(topic["titles"]), rng, topic["terms"])
    count = rng.randint(*sentences)
    parts = [_sentence(rng, topic) for _ in range(count)]
    paragraphs = []
    while parts:
        take = rng.randint(2, 3)
        paragraphs.append("".join(parts[:take]))
        parts = parts[take:]
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    channel = topic["channel"]
    if rng.random() >= 0.85:
        channel = rng.choice([key for key in CHANNELS if key != topic["channel"]])
    traditional = to_traditional is not None
    if traditional:
        title, body = to_traditional(title), to_traditional(body)
    return Generated(topic["key"], channel, title, body, published_at, traditional)


def evaluation_set(seed: int = 5, per_topic: int = 18, traditional_share: float = 0.1) -> list[Generated]:
    """per_topic articles for each of the 20 topics over 180 days, a share in Traditional script."""
    import opencc

    converter = opencc.OpenCC("s2twp")
    rng = random.Random(seed)
    start = datetime(2026, 6, 1, 8, 0)
    made = []
    for topic in TOPICS:
        for _ in range(per_topic):
            when = start + timedelta(minutes=rng.randint(0, 180 * 24 * 60))
            convert = converter.convert if rng.random() < traditional_share else None
            made.append(article(rng, topic, when, (6, 12), convert))
    rng.shuffle(made)
    return made


def scale_corpus(count: int, seed: int = 200_000) -> Iterator[Generated]:
    """`count` articles over two years, 30-56 sentences each (about 1,000 characters on average)."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 0, 0)
    span = 2 * 365 * 24 * 60
    for number in range(count):
        topic = TOPICS[rng.randrange(len(TOPICS))]
        when = start + timedelta(minutes=span * number // count + rng.randint(0, 60))
        yield article(rng, topic, when, (30, 56))
