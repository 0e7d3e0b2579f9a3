"""``huiwen extract FILE.html [--url URL]``: print a page's draft as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .core import extract
from .options import ExtractionError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huiwen extract",
        description="Extract the article fields of a saved news page and print them as JSON.",
    )
    parser.add_argument("file", metavar="FILE.html", help="the page as saved (raw bytes)")
    parser.add_argument("--url", help="the page's address: resolves relative links, hints the date")
    parser.add_argument(
        "--provenance",
        action="store_true",
        help="add a 'provenance' key: where each field was read (method) and how sure (confidence)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"huiwen extract: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        draft = extract(raw, url=args.url)
    except ExtractionError as exc:
        print(f"huiwen extract: {args.file}: {exc}", file=sys.stderr)
        return 2
    found = draft.to_json_dict()
    if args.provenance:
        found["provenance"] = draft.provenance_json()
    text = json.dumps(found, ensure_ascii=False, indent=2)
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.flush()
    return 0
