"""The notice's procedure is a state machine on the model: allowed transitions, each audited."""

from __future__ import annotations

import pytest

from huiwen.newsroom.models import AuditEntry
from huiwen.takedown.models import OFFICER_ACTIONS, TRANSITIONS, Notice

pytestmark = pytest.mark.django_db


def _notice(status: str = Notice.Status.RECEIVED) -> Notice:
    return Notice.objects.create(claimant_name="某权利人", email="legal@rights.example", address="某市某路1号",
                                 works="一篇稿件", urls="https://example.test/a/1.html", evidence_text="证明",
                                 status=status)


@pytest.mark.parametrize(("status", "officer"), [
    (Notice.Status.RECEIVED, ["withdraw", "reject"]),
    (Notice.Status.WITHDRAWN, ["uphold", "restore"]),
    (Notice.Status.COUNTER_NOTICED, ["uphold", "restore"]),
    (Notice.Status.UPHELD, ["restore"]),
    (Notice.Status.RESTORED, []),
    (Notice.Status.REJECTED, []),
])
def test_what_each_state_allows_the_officer(status, officer):
    notice = _notice(status)
    assert notice.allowed() == officer
    assert set(officer) <= set(OFFICER_ACTIONS)
    assert notice.allowed(by="claimant") == (["counter"] if status == Notice.Status.WITHDRAWN else [])
    assert notice.allowed(by="timer") == (["restore"] if "restore" in officer else [])


def test_a_transition_moves_the_notice_and_is_audited_with_where_it_came_from():
    notice = _notice()
    entry = notice.transition("reject", None, "材料不全")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.REJECTED and notice.resolved_at is not None
    assert entry.action == TRANSITIONS["reject"].audit == AuditEntry.Action.REVIEW
    assert entry.subject == notice.reference and entry.reason == "材料不全"
    assert entry.details["from"] == Notice.Status.RECEIVED and entry.details["status"] == Notice.Status.REJECTED


def test_a_transition_the_procedure_does_not_allow_changes_nothing():
    notice = _notice(Notice.Status.REJECTED)
    with pytest.raises(Notice.NotAllowed, match="不能"):
        notice.transition("withdraw", None, "再删")
    with pytest.raises(Notice.NotAllowed):
        notice.transition("counter", None, "官员不能代为反通知")  # only the claimant's counterpart may
    notice.refresh_from_db()
    assert notice.status == Notice.Status.REJECTED
    assert not AuditEntry.objects.filter(subject=notice.reference).exists()


def test_the_stored_state_decides_not_a_stale_copy():
    """Two officers open the same notice; the second one's action meets the state the first left."""
    first, second = _notice(), None
    second = Notice.objects.get(pk=first.pk)
    first.transition("reject", None, "不予处理")
    with pytest.raises(Notice.NotAllowed):
        second.transition("withdraw", None, "删除")
    assert Notice.objects.get(pk=first.pk).status == Notice.Status.REJECTED
    assert AuditEntry.objects.filter(subject=first.reference).count() == 1
