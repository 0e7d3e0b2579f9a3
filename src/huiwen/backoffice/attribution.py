"""Attribution required at publish (互联网新闻信息服务管理规定: a reprint states its 来源, 原作者,
原标题, 原链接 and the editor's real name, and may not alter the title).

`problems()` lists what is missing, in words an editor can act on; publishing refuses while
the list is not empty. The title is compared with the original after removing the column tag
(…(和音), 【人民论坛】…), so adding or removing the tag is allowed and anything else is flagged.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from huiwen.backoffice import revisions
from huiwen.newsroom.models import Article

# Brackets and separators a column tag is written with, after NFKC folding of full-width forms.
_TAG_FORMS = ("({})", "[{}]", "【{}】", "〔{}〕", "<{}>", "《{}》", "{}:", "{}|", "{}丨")
_SPACES = re.compile(r"\s+")


def real_name(user: Any) -> str:
    profile = getattr(user, "editor_profile", None) if user is not None else None
    return profile.real_name.strip() if profile is not None else ""


def bare_title(title: str, column: str = "") -> str:
    """The title without its column tag, width-folded and without spaces: what must not change."""
    folded = _SPACES.sub("", unicodedata.normalize("NFKC", title or ""))
    tag = unicodedata.normalize("NFKC", column or "").strip()
    if tag:
        for form in _TAG_FORMS:
            folded = folded.replace(form.format(tag), "")
    return folded


def title_changed(article: Article) -> bool:
    """Whether the title differs from the original beyond the column tag."""
    if not article.original_title:
        return False
    return bare_title(article.title, article.column) != bare_title(article.original_title, article.column)


def problems(article: Article, user: Any) -> list[str]:
    """What stops `user` from publishing `article` under the reprint rules; empty when nothing does."""
    found = []
    if article.publisher_id is None:
        found.append("缺少来源(来源媒体)。")
    if not article.original_title.strip():
        found.append("缺少原标题。")
    if not article.source_url:
        found.append("缺少原链接。")
    if not real_name(user):
        found.append("责任编辑须为真实姓名:请管理员在“编辑资料”中为你填写真实姓名。")
    given = revisions.source_value(article, "original_author")
    if given and not article.original_author.strip():
        found.append(f"来源署名了原作者({given}),不能删去。")
    return found
