"""The search form: every parameter validated; a bad filter is a message, never an error page."""

from __future__ import annotations

from typing import Any

from django import forms

from huiwen.newsroom.models import Channel, Publisher

MAX_PAGE = 500
MAX_RAW_QUERY = 1000  # longer input is cut before parsing (parsing keeps the first 200 characters)


class ChannelChoice(forms.ModelChoiceField[Channel]):
    def label_from_instance(self, obj: Channel) -> str:
        return "\u3000" * obj.depth + obj.name


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, strip=True)
    channel = ChannelChoice(
        label="频道", required=False, empty_label="全部频道", to_field_name="path",
        queryset=Channel.objects.public().order_by("path"),
    )
    publisher = forms.ModelChoiceField(
        label="来源", required=False, empty_label="全部来源", queryset=Publisher.objects.order_by("name"),
    )
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        label="排序", required=False, choices=[("rank", "按相关度"), ("new", "按时间(最新在前)")],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "截止日期不能早于起始日期。")
        return data
