"""Where each field of a draft came from, and how sure the extractor is of it.

The desk needs to know when a field is a guess: a 来源 read after its label is as good as the
page; one taken from a menu-like line or from the site's own name is not.  Each field of the
draft that was found carries one :class:`Provenance`; fields the page did not give carry none.
"""

from __future__ import annotations

from dataclasses import dataclass

# The methods, from the most to the least direct.
LABEL = "label"  # after its label on a visible line: 来源：, 责任编辑：, 作者：
META_LINE = "meta line"  # unlabelled, in the line under the headline (outlet link, time)
DATELINE = "dateline"  # a reporter's bracket in the text: （记者 X）, 【X／台北報導】
HEADING = "heading"  # the visible heading that <title> carries
META = "meta"  # a <meta> tag
JSON_LD = "json-ld"
SCRIPT = "script"  # the page's script state
URL = "url"  # the date in the address
FALLBACK = "fallback"  # what is left when nothing better was found (<title> cut at separators)
METHODS = (LABEL, META_LINE, DATELINE, HEADING, META, JSON_LD, SCRIPT, URL, FALLBACK)


@dataclass(frozen=True)
class Provenance:
    method: str
    confidence: float  # 0–1: how likely the value is what the page means

    def to_json_dict(self) -> dict[str, object]:
        return {"method": self.method, "confidence": round(self.confidence, 2)}
