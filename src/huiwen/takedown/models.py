"""Takedown cases: notices, evidence, counter-notices, forwarding records and the blocklist.

A notice follows the procedure of 信息网络传播权保护条例 Art. 14–17 and 民法典 Art. 1195–1196
(or, for notices under US law, 17 USC 512(c)(3) and (g)):

    received ──(complete notice)──▶ withdrawn ──(counter-notice)──▶ counter_noticed
        │                               │                               │
        └──(incomplete: rejected)       └──(no counter-notice) stays    ├──(timer passes, no suit) ──▶ restored
                                                                        └──(suit or complaint reported) ──▶ upheld

The allowed changes of state are data on the model (`Notice.TRANSITIONS`) and every change goes
through `Notice.transition()`, which refuses one the procedure does not allow (checked against the
row as stored, under a lock) and records it as an AuditEntry (newsroom): the admin, the notice desk,
the public counter-notice form and the timers all ask the model. Evidence files are stored outside
the public media folder and served only to compliance staff.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from huiwen.newsroom import actions
from huiwen.newsroom.models import Article, AuditEntry, Fingerprint


def new_reference() -> str:
    """A reference a sender can quote: HW-20261129-7K3Q9P (date and six unambiguous characters)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return f"HW-{timezone.localdate():%Y%m%d}-{''.join(secrets.choice(alphabet) for _ in range(6))}"


class Notice(models.Model):
    class Regime(models.TextChoices):
        CN = "cn", "中国法律(信息网络传播权保护条例、民法典)"
        DMCA = "dmca", "US DMCA 17 USC 512"

    class Status(models.TextChoices):
        RECEIVED = "received", "已收到,待处理"
        WITHDRAWN = "withdrawn", "已删除"
        COUNTER_NOTICED = "counter_noticed", "已收到反通知"
        RESTORED = "restored", "已恢复"
        UPHELD = "upheld", "维持删除"
        REJECTED = "rejected", "不予处理"

    reference = models.CharField("编号", max_length=20, unique=True, default=new_reference, editable=False)
    regime = models.CharField("依据", max_length=8, choices=Regime.choices, default=Regime.CN)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    # The rights holder (民法典 Art. 1195: real identity; DMCA (c)(3)(A),(D): signature, contact).
    claimant_name = models.CharField("权利人姓名或名称", max_length=200)
    agent_name = models.CharField("代理人(如有)", max_length=200, blank=True)
    email = models.EmailField("电子邮箱", max_length=254)
    phone = models.CharField("电话", max_length=40, blank=True)
    address = models.CharField("地址", max_length=400)
    # The works and where they appear (Art. 14 (二); DMCA (c)(3)(B),(C)).
    works = models.TextField("作品名称")
    urls = models.TextField("侵权内容网址", help_text="每行一个")
    original_location = models.CharField("作品原始出处", max_length=1000, blank=True)
    # Preliminary evidence (Art. 14 (三)).
    evidence_text = models.TextField("初步证明材料说明")
    good_faith = models.BooleanField("善意声明", default=False)
    accuracy = models.BooleanField("真实性声明", default=False)
    signature = models.CharField("签名", max_length=200, blank=True)
    language = models.CharField("语言", max_length=8, default="zh-hans")
    submitted_from = models.GenericIPAddressField("提交地址", null=True, blank=True)
    created_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    withdrawn_at = models.DateTimeField("删除时间", null=True, blank=True)
    restore_due_at = models.DateTimeField("恢复期限", null=True, blank=True, db_index=True)
    resolved_at = models.DateTimeField("结案时间", null=True, blank=True)
    unmatched_urls = models.TextField("未能对应的网址", blank=True)
    # Issue 13: who the claimant is for limits and trust (the e-mail folded: case, +tags, gmail dots),
    # how far the notice reaches, and why it waits for the compliance officer instead of acting at once.
    claimant_key = models.CharField("权利人标识", max_length=254, blank=True, db_index=True, editable=False)
    reach_articles = models.PositiveIntegerField("涉及文章数", default=0, help_text="含同稿件的全部转载副本")
    reach_works = models.PositiveIntegerField("涉及作品数", default=0)
    review_reason = models.CharField("待审原因", max_length=300, blank=True)
    articles = models.ManyToManyField(Article, verbose_name="涉及文章", blank=True, related_name="notices")

    class Meta:
        verbose_name = "侵权通知"
        verbose_name_plural = "侵权通知"
        ordering = ["-created_at"]
        permissions = [("handle_notice", "处理侵权通知(删除、恢复、维持、驳回)")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=[
                "received", "withdrawn", "counter_noticed", "restored", "upheld", "rejected"]),
                name="notice_status_valid"),
        ]

    def __str__(self) -> str:
        return self.reference

    def url_lines(self) -> list[str]:
        return [line.strip() for line in self.urls.splitlines() if line.strip()]

    # -- the procedure as a state machine --------------------------------------------------------

    class NotAllowed(Exception):
        """A change of state the procedure does not allow from the notice's current state."""

    def allowed(self, *, by: str = "officer") -> list[str]:
        """The transitions open from the current state to `by` ("officer", "claimant", "timer")."""
        return [name for name, step in TRANSITIONS.items() if by in step.by and self.status in step.sources]

    def require(self, name: str, *, by: str = "officer") -> Transition:
        """The transition `name`, or NotAllowed with the reason in words (shown to the officer)."""
        step = TRANSITIONS.get(name)
        if step is None or by not in step.by:
            raise Notice.NotAllowed(f"没有这个操作:{name}")
        if self.status not in step.sources:
            raise Notice.NotAllowed(f"通知当前状态为“{self.get_status_display()}”,不能{step.label}。")
        return step

    def transition(self, name: str, actor: object, reason: str, *, by: str = "officer",
                   at: datetime | None = None, restore_due_at: datetime | None = None,
                   **details: object) -> AuditEntry:
        """Move the notice along `name` and audit it; NotAllowed (nothing changed) when the stored
        notice is not in a state it starts from (a second officer acted first, a double submit)."""
        at = at or timezone.now()
        with transaction.atomic():
            stored = Notice.objects.select_for_update().only("status").get(pk=self.pk)
            self.status = stored.status
            step = self.require(name, by=by)
            before = self.status
            self.status = step.target
            fields = ["status"]
            if step.target == Notice.Status.WITHDRAWN:
                self.withdrawn_at = at
                fields.append("withdrawn_at")
            if step.target == Notice.Status.COUNTER_NOTICED:
                self.restore_due_at = restore_due_at
                fields.append("restore_due_at")
            if step.target in FINAL:
                self.resolved_at = at
                fields.append("resolved_at")
            if step.target == Notice.Status.UPHELD:  # no restoration is due any more
                self.restore_due_at = None
                fields.append("restore_due_at")
            self.save(update_fields=fields)
            return AuditEntry.objects.create(
                action=step.audit, subject=self.reference, actor=actions.audit_user(actor),
                actor_name=actions.actor_name(actor), reason=reason,
                details={"status": self.status, "from": before, "transition": name, **details},
            )


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[str]
    target: str
    audit: str  # the AuditEntry action it is recorded as
    by: frozenset[str]  # who may take it: the compliance officer, the claimant's counterpart, the timer


S = Notice.Status
FINAL = frozenset({S.RESTORED, S.UPHELD, S.REJECTED})
TRANSITIONS: dict[str, Transition] = {
    "withdraw": Transition("删除(撤下所涉文章及全部转载副本)", frozenset({S.RECEIVED}), S.WITHDRAWN,
                           AuditEntry.Action.WITHDRAW, frozenset({"officer", "system"})),
    "reject": Transition("不予处理(通知不合格)", frozenset({S.RECEIVED}), S.REJECTED,
                         AuditEntry.Action.REVIEW, frozenset({"officer"})),
    "counter": Transition("收到反通知", frozenset({S.WITHDRAWN}), S.COUNTER_NOTICED,
                          AuditEntry.Action.COUNTER_NOTICE, frozenset({"claimant"})),
    "uphold": Transition("维持删除(权利人已投诉或起诉)", frozenset({S.COUNTER_NOTICED, S.WITHDRAWN}), S.UPHELD,
                         AuditEntry.Action.UPHOLD, frozenset({"officer"})),
    "restore": Transition("恢复(撤销删除)", frozenset({S.COUNTER_NOTICED, S.WITHDRAWN, S.UPHELD}), S.RESTORED,
                          AuditEntry.Action.RESTORE, frozenset({"officer", "timer"})),
}
# The officer's choices, in the order the admin and the desk show them.
OFFICER_ACTIONS: dict[str, str] = {name: step.label for name, step in TRANSITIONS.items() if "officer" in step.by}
del S


class Evidence(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="evidence")
    file = models.CharField("文件", max_length=300, help_text="相对私有存储目录的路径")
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"

    def __str__(self) -> str:
        return self.original_name


class CounterNotice(models.Model):
    """The provider's answer (Art. 16; DMCA (g)(3)): identity, the works, evidence of no infringement."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="counter_notices")
    name = models.CharField("姓名或名称", max_length=200)
    email = models.EmailField("电子邮箱", max_length=254)
    phone = models.CharField("电话", max_length=40, blank=True)
    address = models.CharField("地址", max_length=400)
    statement = models.TextField("不构成侵权的初步证明材料")
    good_faith = models.BooleanField("善意声明", default=False)
    consent_jurisdiction = models.BooleanField("同意管辖", default=False)
    signature = models.CharField("签名", max_length=200, blank=True)
    submitted_from = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField("收到时间", default=timezone.now)

    class Meta:
        verbose_name = "反通知"
        verbose_name_plural = "反通知"

    def __str__(self) -> str:
        return f"{self.notice.reference} 反通知"


class Forwarding(models.Model):
    """Who was told what, and when (Art. 15 and 16: notices and counter-notices are forwarded)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="forwardings")
    recipient = models.CharField("收件人", max_length=254)
    role = models.CharField("身份", max_length=40, help_text="如 权利人、内容提供者、原发媒体")
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("内容")
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    delivered = models.BooleanField("已发出", default=True)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "转送记录"
        verbose_name_plural = "转送记录"
        ordering = ["sent_at"]

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d %H:%M} → {self.recipient}"


class BlockedWork(models.Model):
    """A withdrawn work the collector must never ingest again: by URL and by text signature (its
    print in the newsroom's index of works, kind "blocked": newsroom.works; none for a text too
    short to fingerprint)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="blocked")
    article_id_at_block = models.BigIntegerField("文章编号")
    url = models.CharField("规范网址", max_length=1000, blank=True, db_index=True)
    fingerprint = models.OneToOneField(Fingerprint, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name="文本指纹")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "禁止再采集"
        verbose_name_plural = "禁止再采集"

    def __str__(self) -> str:
        return self.url or f"文章 {self.article_id_at_block}"


class Upkeep(models.Model):
    """An article withdrawn or restored in bulk whose search index and 相关阅读 are still to follow
    (takedown.withdrawal.upkeep). Written with the change, deleted with the work done."""

    article_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "待更新的索引"
        verbose_name_plural = "待更新的索引"

    def __str__(self) -> str:
        return f"文章 {self.article_id}"
