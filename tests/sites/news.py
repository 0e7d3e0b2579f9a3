"""Authored fixture news pages (fictional text) in the shapes of real Chinese news templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    date: str  # "2026-11-20 09:15"
    source: str
    paragraphs: tuple[str, ...]
    editor: str = "周若溪"
    author: str = ""
    column: str = ""
    paper: str = ""
    page: str = ""
    images: tuple[str, ...] = field(default=())  # image paths on the fixture site

    @property
    def headline(self) -> str:
        return f"{self.title}({self.column})" if self.column else self.title


STORIES = (
    Story(
        slug="bridge", title="南溪大桥合龙 两岸通行时间缩短到十分钟", column="在一线",
        date="2026-11-20 09:15", source="汇闻测试日报", author="记者 丁一帆", paper="汇闻测试日报", page="05",
        paragraphs=(
            "经过两年多的施工,横跨南溪的新大桥昨天上午顺利合龙,预计明年春天建成通车。",
            "大桥全长一千二百米,主跨采用钢箱梁结构。项目负责人介绍,施工期间正值雨季,工人们轮班作业,确保了进度和安全。",
            "通车以后,两岸居民往来不必再绕行老码头,通行时间将从四十分钟缩短到十分钟左右,沿线的农产品运输也会更加方便。",
            "当地交通部门表示,桥面铺装和照明工程将在今冬完成,明年初开展荷载试验。",
        ),
        images=("/img/bridge.png",),
    ),
    Story(
        slug="library", title="社区图书馆延长开放时间 夜读的人多了",
        date="2026-11-21 20:30", source="汇闻测试晚报", author="通讯员 何小满",
        paragraphs=(
            "从本月起,梧桐社区图书馆每天开放到晚上十点,周末还增设了亲子阅读专场。",
            "图书馆馆长说,不少上班族反映下班后没有时间借书,延长开放时间后,晚上七点以后的到馆人数翻了一番。",
            "馆里还新添了两百多种期刊和一批有声读物,读者可以用手机预约座位。",
        ),
    ),
    Story(
        slug="orchard", title="山坡果园用上滴灌 柑橘产量明显提高",
        date="2026-11-22 07:40", source="汇闻测试农报", paper="汇闻测试农报", page="02",
        paragraphs=(
            "在青石镇的山坡果园里,一条条黑色的滴灌管顺着果树排开,每棵树下都有一个小小的出水口。",
            "果农老杨说,过去靠人工挑水浇灌,遇到干旱年份果子又小又酸。去年装上滴灌设备后,用水少了一半,今年的柑橘个头大、甜度高。",
            "镇农技站统计,全镇已有三千多亩果园用上了节水灌溉,平均每亩增收一千元以上。",
        ),
    ),
    Story(
        slug="robots-secret", title="这篇文章不应被采集 因为网站不允许",
        date="2026-11-22 10:00", source="汇闻测试日报",
        paragraphs=(
            "这是一段只用于测试的正文,网站的机器人协议禁止抓取这个目录,所以采集程序不应该请求它。",
            "如果它出现在文章列表里,说明采集程序没有遵守网站的规定。",
        ),
    ),
    Story(
        slug="ferry", title="老渡口变身文化驿站 周末游客络绎不绝",
        date="2026-11-23 16:05", source="汇闻测试晚报", author="记者 钱江月",
        paragraphs=(
            "停运多年的沙洲老渡口经过改造,成了集展览、茶座和手工体验于一体的文化驿站。",
            "驿站里陈列着老船票、旧船灯和渡工们的老照片,讲述了几代人摆渡过江的故事。",
            "开放一个月来,每逢周末游客络绎不绝,附近的小吃摊和民宿生意也跟着红火起来。",
        ),
    ),
    Story(
        slug="stadium", title="全民健身中心投入使用 市民可免费预约场地",
        date="2026-11-24 08:20", source="汇闻测试日报", paper="汇闻测试日报", page="07",
        paragraphs=(
            "位于城东的全民健身中心本周正式投入使用,设有游泳馆、羽毛球馆和室内跑道。",
            "中心每天上午向老年人免费开放两个小时,其余时段市民可以通过小程序预约场地,收费标准低于市场价格。",
            "体育部门介绍,今后还将在中心举办业余联赛和健身讲座,让更多人动起来。",
        ),
    ),
)


def people_like(story: Story, charset: str = "utf-8", host: str = "") -> str:
    """A page in the shape of a people.com.cn article: 来源 line, 责编 line, print citation."""
    body = "\n".join(f"<p>\u3000\u3000{escape(p)}</p>" for p in story.paragraphs)
    figures = "".join(
        f'<p style="text-align: center"><img src="{host}{src}" alt="{escape(story.title)}"></p>'
        f'<p class="pictext" style="text-align: center">{escape(story.title)}现场。</p>'
        for src in story.images
    )
    citation = (f"<p>《 {escape(story.paper)} 》( {story.date[:4]}年{story.date[5:7]}月{story.date[8:10]}日"
                f" {story.page} 版)</p>") if story.paper else ""
    author = f"<p>{escape(story.author)}</p>" if story.author else ""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{escape(story.headline)}--社会--汇闻测试网</title>
<meta name="keywords" content="测试">
<meta name="description" content="{escape(story.paragraphs[0])}">
</head><body>
<div class="topnav"><a href="/">首页</a> | <a href="/society/">社会</a> | <a href="/tech/">科技</a> | <a href="/sports/">体育</a></div>
<div class="main">
<div class="path"><a href="/">汇闻测试网</a> &gt;&gt; <a href="/society/">社会</a></div>
<h1>{escape(story.headline)}</h1>
<div class="box01"><div class="fl">{story.date} | 来源:<a href="/">{escape(story.source)}</a></div>
<div class="fr"><a href="#">分享到微信</a> <a href="#">分享到微博</a></div></div>
<div class="rm_txt_con">
{author}
{figures}
{body}
{citation}
<div class="edit">(责编:{escape(story.editor)})</div>
</div>
<div class="related"><h3>相关新闻</h3><ul>
<li><a href="/society/other-1.html">另一条完全不相关的新闻标题放在这里</a></li>
<li><a href="/society/other-2.html">再一条不相关的新闻标题也放在这里</a></li></ul></div>
</div>
<div class="footer"><p>汇闻测试网版权所有,未经书面授权禁止使用</p><p>Copyright © 2026 huiwen test site</p></div>
</body></html>
"""
