"""Story fingerprints: reprints of one work agree, different works do not, batch scoring agrees."""

from __future__ import annotations

from huiwen.text import fingerprint

WORK = (
    "澄州市今年新建的十二座口袋公园已全部向市民开放。这些公园大多利用街角闲置地块改造而成,"
    "面积从几百平方米到两千平方米不等,配有座椅、步道和儿童游乐设施。市园林部门负责人介绍,"
    "明年还将在老城区再建八座,让居民出门五分钟就能走进绿地。"
)
REPRINT = (
    "(原标题:口袋公园全部开放)澄州市今年新建的十二座口袋公园已全部向市民开放. 這些公園大多利用街角閒置地塊改造而成,"
    "面積從幾百平方米到兩千平方米不等,配有座椅、步道和兒童遊樂設施. 市园林部门负责人介绍,"
    "明年还将在老城区再建八座,让居民出门五分钟就能走进绿地.(责任编辑:某某)"
)
OTHER = (
    "第十届青溪马拉松昨天鸣枪开跑,来自全国各地的一万五千名跑者参加比赛。赛道沿青溪两岸布设,"
    "途经三座古桥和一处湿地公园。组委会在沿途设置了二十个补给站,并安排了医疗志愿者。"
)


def test_a_reprint_is_the_same_work_and_another_article_is_not():
    work, reprint, other = (fingerprint.signature(text) for text in (WORK, REPRINT, OTHER))
    assert work.usable and reprint.usable
    assert fingerprint.similarity(work, work) == 1.0
    assert fingerprint.same_work(work, reprint) and fingerprint.same_work(reprint, work)
    assert not fingerprint.same_work(work, other)


def test_batch_similarities_equal_one_at_a_time():
    work = fingerprint.signature(WORK)
    others = [fingerprint.signature(text) for text in (REPRINT, OTHER, WORK)]
    scores = fingerprint.similarities(work, [other.to_bytes() for other in others])
    assert list(scores) == [fingerprint.similarity(work, other) for other in others]
    assert scores[2] == 1.0 and scores[1] < fingerprint.SAME_WORK <= scores[0]
