"""The notice and counter-notice forms, in Chinese with English alongside.

Fields follow what the law asks of a notice: identity, contact and address of the rights holder;
the works and where they appear on this site; preliminary evidence (信息网络传播权保护条例 Art. 14,
民法典 Art. 1195). For DMCA notices also the signature and the good-faith and accuracy statements
(17 USC 512(c)(3)(A)–(F)); for DMCA counter-notices consent to jurisdiction (512(g)(3)(D)).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from huiwen.takedown import uploads
from huiwen.takedown.models import CounterNotice, Notice
from huiwen.text.urls import BadURL, canonical

MAX_URLS = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(EvidenceField, self).clean(item, initial) for item in items]


def _bilingual(chinese: str, english: str) -> str:
    return f"{chinese} / {english}"


class NoticeForm(forms.ModelForm[Notice]):
    evidence_files = EvidenceField(
        label=_bilingual("证明材料附件", "Evidence files"), required=False,
        help_text="PDF、图片或纯文本,每个不超过 5 MB / PDF, image or plain text, up to 5 MB each",
    )
    staged = forms.CharField(widget=forms.MultipleHiddenInput, required=False)

    class Meta:
        model = Notice
        fields = ["regime", "claimant_name", "agent_name", "email", "phone", "address", "works", "urls",
                  "original_location", "evidence_text", "accuracy", "good_faith", "signature"]
        labels = {
            "regime": _bilingual("依据的法律", "Legal basis"),
            "claimant_name": _bilingual("权利人真实姓名或名称", "Rights holder's full legal name"),
            "agent_name": _bilingual("代理人(代为提交时填写)", "Agent, if submitting on behalf"),
            "email": _bilingual("电子邮箱", "E-mail"),
            "phone": _bilingual("电话", "Telephone"),
            "address": _bilingual("通讯地址", "Postal address"),
            "works": _bilingual("被侵权作品的名称", "The copyrighted work(s)"),
            "urls": _bilingual("本站侵权内容的网址(每行一个)", "URLs of the material on this site, one per line"),
            "original_location": _bilingual("作品的原始出处(网址或出版信息)", "Where the original work is published"),
            "evidence_text": _bilingual("构成侵权的初步证明材料", "Preliminary evidence of infringement"),
            "accuracy": _bilingual("我保证通知内容真实,并对其承担法律责任",
                                   "The information is accurate, under penalty of perjury, and I am "
                                   "authorised to act for the owner"),
            "good_faith": _bilingual("我善意相信上述使用未经权利人、其代理人或法律许可",
                                     "I have a good-faith belief that the use is not authorised"),
            "signature": _bilingual("签名(填写全名即视为电子签名)", "Signature (type your full name)"),
        }
        widgets = {
            "works": forms.Textarea(attrs={"rows": 3}),
            "urls": forms.Textarea(attrs={"rows": 4, "placeholder": "https://…/a/123.html"}),
            "evidence_text": forms.Textarea(attrs={"rows": 5}),
            "address": forms.TextInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staged_files: list[uploads.Staged] = []  # chosen in an earlier try, kept on the server
        self.checked_files: list[uploads.Checked] = []  # chosen now, checked, still only in memory

    def clean_urls(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("请至少填写一个网址 / Give at least one URL")
        if len(lines) > MAX_URLS:
            raise forms.ValidationError(f"一次最多 {MAX_URLS} 个网址,请分多次提交")
        bad = []
        for line in lines:
            try:
                canonical(line)  # the collector's own test of a fetchable http(s) URL
            except BadURL:
                bad.append(line)
        if bad:
            raise forms.ValidationError(f"这些不是有效的网址 / Not valid URLs: {'; '.join(bad[:5])}")
        return "\n".join(lines)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("accuracy"):
            self.add_error("accuracy", "请确认通知内容真实 / Please confirm the statement")
        if data.get("regime") == Notice.Regime.DMCA:
            if not data.get("good_faith"):
                self.add_error("good_faith", "DMCA 通知须包含善意声明 / Required for DMCA notices")
            if not (data.get("signature") or "").strip():
                self.add_error("signature", "DMCA 通知须签名 / A DMCA notice must be signed")
        self._collect_files(data)
        return data

    def url_count(self) -> int:
        return len((self.cleaned_data.get("urls") or "").splitlines())

    def _collect_files(self, data: dict[str, Any]) -> None:
        """Check new uploads (in memory: nothing is written while the form is judged) and re-attach
        files staged by an earlier try, so no file the sender chose is lost."""
        errors = []
        for token in self.data.getlist("staged") if hasattr(self.data, "getlist") else []:
            try:
                self.staged_files.append(uploads.unstage(token))
            except uploads.BadUpload as error:
                errors.append(str(error))
        for upload in data.get("evidence_files") or []:
            try:
                self.checked_files.append(uploads.check(upload))
            except uploads.BadUpload as error:
                errors.append(str(error))
        limit = settings.TAKEDOWN["MAX_FILES"]
        if len(self.staged_files) + len(self.checked_files) > limit:
            errors.append(f"最多 {limit} 个附件")
            self.checked_files = self.checked_files[:max(0, limit - len(self.staged_files))]
        if errors:
            self.add_error("evidence_files", errors)

    def stage_files(self, address: str) -> None:
        """The form had errors: keep the good new files for the next try (within the staging caps)."""
        for checked in self.checked_files:
            staged = uploads.stage(checked, address)
            if staged is None:
                self.add_error("evidence_files", f"附件“{checked.name}”未能暂存,请重新提交时再次选择")
            else:
                self.staged_files.append(staged)
        self.checked_files = []


class CounterNoticeForm(forms.ModelForm[CounterNotice]):
    class Meta:
        model = CounterNotice
        fields = ["name", "email", "phone", "address", "statement", "good_faith", "consent_jurisdiction",
                  "signature"]
        labels = {
            "name": _bilingual("真实姓名或名称", "Full legal name"),
            "email": _bilingual("电子邮箱", "E-mail"),
            "phone": _bilingual("电话", "Telephone"),
            "address": _bilingual("通讯地址", "Postal address"),
            "statement": _bilingual("不构成侵权的初步证明材料", "Why the material is not infringing (evidence)"),
            "good_faith": _bilingual("我善意相信该内容因错误或误认而被删除",
                                     "I have a good-faith belief the material was removed by mistake"),
            "consent_jurisdiction": _bilingual("我同意接受相关法院管辖",
                                               "I consent to the jurisdiction of the competent court"),
            "signature": _bilingual("签名(填写全名)", "Signature (type your full name)"),
        }
        widgets = {"statement": forms.Textarea(attrs={"rows": 6}), "address": forms.TextInput()}

    def __init__(self, *args: Any, notice: Notice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notice = notice

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.notice.regime == Notice.Regime.DMCA:
            for name in ("good_faith", "consent_jurisdiction"):
                if not data.get(name):
                    self.add_error(name, "DMCA 反通知须包含此声明 / Required for a DMCA counter-notice")
            if not (data.get("signature") or "").strip():
                self.add_error("signature", "请签名 / Please sign")
        return data
