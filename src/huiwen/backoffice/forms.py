"""Forms of the back office. Plain HTML forms: every action works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms

from huiwen.backoffice import bodytext
from huiwen.backoffice.models import SensitiveWord
from huiwen.newsroom.models import RESERVED_ROOT_SLUGS, Article, Channel, Publisher
from huiwen.newsroom.text import LINK_REL, clean_body_html, html_to_text

# The back office's own address: a root channel with this slug would be shadowed by it.
DESK_SLUG = "newsroom"


class ChannelChoiceField(forms.ModelChoiceField[Channel]):
    """Channels as an indented tree, in path order."""

    def label_from_instance(self, obj: Channel) -> str:
        return f"{'  ' * obj.depth}{'└ ' if obj.depth else ''}{obj.name}  (/{obj.path}/)"


def channel_field(required: bool = True, label: str = "频道") -> ChannelChoiceField:
    return ChannelChoiceField(Channel.objects.order_by("path"), required=required, label=label)


class ArticleEditForm(forms.ModelForm[Article]):
    """What an editor may change. 原标题 and 原链接 are shown, never edited: the original is kept."""

    channel = channel_field()
    note = forms.CharField(label="修改说明", required=False, max_length=500,
                           widget=forms.TextInput(attrs={"size": 60}),
                           help_text="改已发布的文章必须写明为什么改:写入审计日志,主编审核时看到")

    class Meta:
        model = Article
        fields = ["title", "column", "channel", "publisher", "original_author", "lede", "body",
                  "print_newspaper", "print_date", "print_page"]
        widgets = {
            "title": forms.TextInput(attrs={"size": 70}),
            "lede": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            # The structured editor (static/backoffice/body-editor.js) takes this field over; without
            # JavaScript it stays a textarea, and typed lines still become paragraphs (bodytext).
            # data-link-rel: the rel the sanitiser gives links, so the editor's HTML is the stored HTML.
            "body": forms.Textarea(attrs={"rows": 22, "cols": 80, "data-body-editor": "on", "data-link-rel": LINK_REL}),
            "print_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"body": "段落、小标题、图片(含说明)、链接;从 Word、WPS 或网页粘贴时自动清理格式"}

    def clean_body(self) -> str:
        # Structured, then sanitised exactly as Article.save() will: what the preview renders is
        # what the page will hold, whether the article is saved now or held as a pending change.
        body = clean_body_html(bodytext.structure(self.cleaned_data.get("body") or ""))
        if not html_to_text(body) and "<img" not in body:
            raise forms.ValidationError("正文不能为空。")
        return body


class ActionForm(forms.Form):
    """One form for the queue's bulk actions and the preview's single ones: the button says which."""

    ACTIONS = [("publish", "发布"), ("schedule", "定时发布"), ("reject", "退回"), ("move", "移动频道"),
               ("submit", "提交审核"), ("unpublish", "撤下")]

    action = forms.ChoiceField(choices=ACTIONS)
    articles = forms.ModelMultipleChoiceField(Article.objects.all(), label="文章",
                                              error_messages={"required": "请至少勾选一篇文章。"})
    at = forms.DateTimeField(label="发布时间", required=False,
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    channel = channel_field(required=False, label="目标频道")
    reason = forms.CharField(label="理由", required=False, max_length=500)
    confirmed = forms.BooleanField(label="已核对标出的需审核词语", required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        action = data.get("action")
        if action == "schedule" and not data.get("at"):
            self.add_error("at", "请填写定时发布的时间。")
        if action == "move" and not data.get("channel"):
            self.add_error("channel", "请选择目标频道。")
        if action == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "退回必须填写理由。")
        if action == "unpublish" and not (data.get("reason") or "").strip():
            self.add_error("reason", "撤下必须填写理由。")
        return data


class ChannelForm(forms.ModelForm[Channel]):
    parent = channel_field(required=False, label="上级频道")

    class Meta:
        model = Channel
        fields = ["name", "slug", "parent", "position", "live", "description"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("parent") and data.get("slug") in (DESK_SLUG, *RESERVED_ROOT_SLUGS):
            self.add_error("slug", "这个标识被网站自身的地址占用,请换一个。")
        return data


class MoveChannelForm(forms.Form):
    parent = channel_field(required=False, label="移到")


class SensitiveWordForm(forms.ModelForm[SensitiveWord]):
    class Meta:
        model = SensitiveWord
        fields = ["word", "kind", "replacement", "note"]
        labels = {"note": "理由(备注)"}
        widgets = {"note": forms.TextInput(attrs={"size": 30})}


class WordImportForm(forms.Form):
    kind = forms.ChoiceField(choices=SensitiveWord.Kind.choices, label="处理方式")
    words = forms.CharField(label="词语", widget=forms.Textarea(attrs={"rows": 6, "cols": 40}),
                            help_text="每行一个;“自动替换”可写成 词语=替换为")


class CollectURLForm(forms.Form):
    """“Collect this URL now”: one article's address; publisher and channel when the host is new."""

    url = forms.URLField(label="文章网址", max_length=1000, assume_scheme="https",
                         widget=forms.URLInput(attrs={"size": 60, "placeholder": "https://"}))
    publisher = forms.ModelChoiceField(Publisher.objects.order_by("name"), label="来源媒体", required=False,
                                       help_text="这个网站已有采集来源时可以不选")
    channel = channel_field(required=False, label="频道")
