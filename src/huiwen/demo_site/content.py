"""The sample source site's articles: 云溪新闻网 (Yunxi), a fictional local news site.

Everything here was written for huiwen's demo: the outlets (云溪日报, 云溪晚报, 云溪新闻网,
北岭商报, 濠江時報), the people, the places (云溪市, 白沙镇, 青石街, 枫港...) and the events.
Pure data, no logic; `pages` renders it.

Some articles are there to show the desk at work:
- ``source=None``: the page names no 来源, so the attribution needs confirming;
- words of the demo's sensitive-word lists (`setup.SENSITIVE_WORDS`): 偏方 and 内幕消息 (review),
  代开发票 (block), 加微信 (replaced);
- ``hostile=True``: the page carries stored-XSS snippets of every family between its paragraphs
  (`pages.HOSTILE_SNIPPETS`), and ``inline`` a paragraph with markup a reprint keeps;
- ``reprint_of``: the same work published by another outlet (one story, two copies).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SampleArticle:
    slug: str
    section: str  # city (the feed), economy (the sitemap), culture (the list pages)
    title: str
    paragraphs: tuple[str, ...]
    hours_ago: int
    source: str | None = "云溪日报"  # the 来源 line; None: the page does not say
    author: str = ""
    editor: str = ""  # the source page's own 责任编辑
    column: str = ""
    paper: str = ""  # print citation: newspaper and page
    page: str = ""
    image: str = ""  # caption of the article's photo (drawn by the server)
    hostile: bool = False
    inline: str = ""  # a paragraph with inline markup (strong, em, a link), placed second; HTML
    reprint_of: str = ""  # slug of the article this one reprints
    traditional: bool = False  # written in Traditional characters (served as Big5)
    tags: tuple[str, ...] = field(default=())

    @property
    def headline(self) -> str:
        return f"{self.title}({self.column})" if self.column else self.title


SITE_NAME = "云溪新闻网"

ARTICLES: tuple[SampleArticle, ...] = (
    # ------------------------------------------------------------------ 城市 (RSS feed, UTF-8)
    SampleArticle(
        slug="qingshi-street", section="city", hours_ago=3, author="记者 梁映川", editor="苏念",
        paper="云溪日报", page="03", image="修缮后的青石街沿街立面",
        title="青石街老商铺修缮完工 二十七家店铺陆续回迁",
        paragraphs=(
            "历时十个月的青石街修缮工程日前完工,街面恢复了青石板铺装,沿街二十七家老商铺陆续回迁营业。",
            "修缮中,施工方按照老照片复原了骑楼的木窗和檐口,电线全部入地,排水管网也做了更换。",
            "经营了三十多年酱菜铺的周师傅说,回迁第一天就来了不少老顾客,“街还是那条街,走起来更舒服了”。",
            "街道办介绍,青石街将实行分时段步行管理,每天上午十点到晚上九点禁止机动车驶入。",
        ),
    ),
    SampleArticle(
        slug="night-bus", section="city", hours_ago=7, author="记者 何予安", editor="苏念",
        title="云溪开通四条夜间公交线 末班车延至凌晨一点",
        paragraphs=(
            "从本周一起,云溪市开通四条夜间公交线路,覆盖火车站、三家医院和主要商圈,末班车延至凌晨一点。",
            "公交集团根据手机信令数据分析了夜间出行热点,把站点设在客流最集中的路口,发车间隔为二十分钟。",
            "在医院上夜班的护士小林说,过去下班只能打车,现在坐公交二十分钟就能到家,每月能省下不少钱。",
            "试运行三个月后,公交集团将根据客流情况调整线路和班次,市民也可以通过热线提出建议。",
        ),
    ),
    SampleArticle(
        slug="folk-remedy", section="city", hours_ago=11, author="记者 梁映川", editor="苏念",
        title="社区卫生服务中心提醒:关节疼痛莫信偏方",
        paragraphs=(
            "入冬以来,白沙镇社区卫生服务中心接诊的关节疼痛患者明显增多,其中不少人自行用过网上流传的偏方。",
            "中心的全科医生介绍,有位老人连续一个月外敷药酒,结果皮肤大面积过敏,耽误了正规治疗。",
            "医生建议,关节疼痛应先查明原因,骨关节炎、痛风和类风湿的治疗方法各不相同,不能一概而论。",
            "中心每周三上午开设关节健康门诊,居民可以带着以往的检查报告前来咨询。",
        ),
    ),
    SampleArticle(
        slug="riverside-lights", section="city", hours_ago=20, source=None, author="实习生 唐雨",
        title="滨江步道换装节能路灯 夜跑市民多了起来",
        paragraphs=(
            "滨江步道六公里路段的路灯日前全部换成了节能灯具,照度比原来提高了一倍,耗电量却下降了四成。",
            "新路灯安装了感应装置,深夜行人稀少时自动调暗,有人经过时再恢复亮度。",
            "每天晚上八点以后,步道上夜跑和散步的市民明显多了,不少人说现在走夜路更安心了。",
            "城管部门表示,步道沿线还将增设五处饮水点和两座公共卫生间。",
        ),
    ),
    SampleArticle(
        slug="library-hours", section="city", hours_ago=28, author="记者 何予安", editor="苏念", hostile=True,
        title="市图书馆延长开放时间 工作日开放到晚上九点",
        paragraphs=(
            "云溪市图书馆自下月起延长开放时间,工作日闭馆时间从下午六点推迟到晚上九点,周末照常开放。",
            "图书馆负责人说,读者调查显示,六成以上的上班族只能在下班后来借书,延长开放正是为了他们。",
            "延时段将开放二楼自习区和一楼借阅区,少儿阅览室仍在下午六点关闭。",
            "读者还可以在馆外的二十四小时自助还书机归还图书,不受开放时间限制。",
        ),
        inline=('试行首月,<strong>夜间到馆读者超过一万一千人次</strong>,其中'
                '<em>自习区的座位</em>最为紧俏,开放安排详见'
                '<a href="/notice/library-hours.html">图书馆公告</a>。'),
    ),
    SampleArticle(
        slug="bridge-repair", section="city", hours_ago=40, author="记者 梁映川", editor="苏念",
        paper="云溪日报", page="02", column="城事",
        title="枫港大桥检修期间 过江公交临时改道",
        paragraphs=(
            "枫港大桥将于下周一起进行为期二十天的伸缩缝检修,其间每天夜间封闭两条车道。",
            "受此影响,途经大桥的三条公交线路临时改走上游的云溪二桥,单程增加约十分钟。",
            "交警部门提醒,检修期间过江车辆较多,建议市民错峰出行,或选择轮渡过江。",
            "检修完成后,大桥将恢复全部车道通行,限速标准不变。",
        ),
    ),
    # ------------------------------------------------------------------ 经济 (sitemap, GB18030)
    SampleArticle(
        slug="tea-cooperative", section="economy", hours_ago=5, source="云溪晚报", author="记者 钟明远",
        editor="陆可", image="白沙镇茶农在合作社的加工车间分拣新茶",
        title="白沙镇茶叶合作社试水直播 一个月卖出三万斤秋茶",
        paragraphs=(
            "白沙镇茶叶合作社今年秋天第一次尝试网络直播,一个月卖出秋茶三万多斤,比往年多了一倍。",
            "合作社理事长说,过去茶叶主要卖给收购商,价格压得很低;现在直接卖给消费者,每斤能多卖二十多元。",
            "为了做好直播,镇里请来电商讲师,手把手教茶农拍视频、回答网友提问、打包发货。",
            "合作社计划明年建设一座冷藏仓库,让春茶也能错峰销售。",
        ),
    ),
    SampleArticle(
        slug="port-containers", section="economy", hours_ago=16, source="北岭商报", author="记者 秦朗",
        editor="陆可",
        title="枫港集装箱吞吐量前三季度同比增长百分之十二",
        paragraphs=(
            "枫港港务集团发布的数据显示,前三季度集装箱吞吐量同比增长百分之十二,创下同期新高。",
            "增长主要来自新开通的两条近洋航线,以及港区铁路专用线带来的海铁联运箱量。",
            "港务集团负责人表示,四季度将继续推进自动化码头改造,力争全年吞吐量突破一百万标准箱。",
            "业内人士认为,港口吞吐量的回升反映出周边制造企业订单有所恢复。",
        ),
    ),
    SampleArticle(
        slug="invoice-ads", section="economy", hours_ago=26, source="云溪晚报", author="记者 钟明远", editor="陆可",
        title="税务部门清理街头小广告 提醒企业依法取得发票",
        paragraphs=(
            "近期,云溪市税务部门联合城管清理了一批张贴在写字楼和停车场的代开发票小广告。",
            "税务人员介绍,这类广告背后往往是虚开发票的违法团伙,企业一旦取得虚开的发票,不仅不能抵扣,还要承担法律责任。",
            "税务部门提醒,企业应通过正规渠道取得发票,收到发票后可以在全国增值税发票查验平台核验真伪。",
            "市民如发现此类小广告,可以拨打纳税服务热线举报。",
        ),
    ),
    SampleArticle(
        slug="market-rumour", section="economy", hours_ago=34, source=None, author="",
        title="农贸市场摊位费下调 商户称经营压力减轻",
        paragraphs=(
            "云溪东门农贸市场从本月起下调摊位费,蔬菜摊位每月减少三百元,水产摊位减少五百元。",
            "此前有商户在群里转发所谓内幕消息,称市场即将拆迁,市场方随即在公告栏作出说明,表示短期内没有拆迁计划。",
            "卖了十多年豆腐的王阿姨说,摊位费降下来,一个月能多攒点钱,心里也踏实了。",
            "市场方表示,还将统一更换电子秤,每周公布一次主要菜品的价格。",
        ),
    ),
    SampleArticle(
        slug="macau-tourists", section="economy", hours_ago=44, source="濠江時報", author="記者 司徒慧",
        editor="黃嘉欣", traditional=True,
        title="雲溪古城吸引澳門旅客 週末團報名踴躍",
        paragraphs=(
            "隨着兩地直航班次增加,不少澳門旅客選擇在週末前往雲溪古城,體驗老街、茶館和夜市。",
            "旅行社負責人表示,兩天一夜的古城團每週都有三到四團成行,報名的多是退休人士和年輕家庭。",
            "有旅客說,古城的石板路和老字號小吃讓人想起童年的街坊,下次還想帶父母一起來。",
            "當地文旅部門計劃增設繁體中文導覽牌,並在旅客中心提供外幣兌換服務。",
        ),
    ),
    SampleArticle(
        slug="ev-charging", section="economy", hours_ago=52, source="云溪新闻网", author="记者 秦朗", editor="陆可",
        column="经济观察",
        title="新能源车充电桩进小区难在哪",
        paragraphs=(
            "云溪市新能源汽车保有量已超过八万辆,但不少老旧小区的车主仍面临充电难。",
            "记者走访发现,难点主要在于电力容量不足、固定车位少,以及物业和业主之间的意见分歧。",
            "已经建成共享充电站的枫林小区采取了集中建设、统一管理的办法,由供电公司负责扩容,物业收取少量管理费。",
            "有关部门表示,明年将把充电设施纳入老旧小区改造的必选项目。",
        ),
    ),
    # ------------------------------------------------------------------ 文化 (list pages, GBK)
    SampleArticle(
        slug="opera-troupe", section="culture", hours_ago=9, source="云溪日报", author="记者 卢思源", editor="秦素",
        image="剧团演员在后台化妆",
        title="百年剧团进校园 三千名学生看了第一场地方戏",
        paragraphs=(
            "成立于一百多年前的云溪地方戏剧团,本学期走进全市二十所中小学,已有三千多名学生看了演出。",
            "每场演出前,演员们会先给学生讲解唱腔、身段和脸谱,演出后还留出时间让学生上台试一试。",
            "一名初二学生说,以前觉得地方戏离自己很远,现在发现很多唱词和家乡话一模一样。",
            "剧团计划把经典剧目改编成二十分钟的短剧,方便学校在课后服务时间演出。",
        ),
    ),
    SampleArticle(
        slug="old-photos", section="culture", hours_ago=22, source="云溪晚报", author="记者 卢思源", editor="秦素",
        title="老照片里的云溪:市民捐出家藏影像四百余幅",
        paragraphs=(
            "市档案馆发起的“老照片里的云溪”征集活动结束,共收到市民捐赠的家藏照片四百二十多幅。",
            "照片最早摄于上世纪三十年代,记录了码头、集市、学堂和普通人家的婚礼。",
            "一位八十多岁的老人捐出了父亲当年开照相馆时拍的一组街景,其中不少建筑已经不在了。",
            "档案馆将对照片进行数字化修复,明年春天在市博物馆举办专题展览,欢迎想要照片复印件的市民加微信预约领取。",
        ),
    ),
    SampleArticle(
        slug="qingshi-street-reprint", section="culture", hours_ago=2, source="云溪晚报", author="记者 梁映川",
        editor="秦素", reprint_of="qingshi-street",
        title="青石街修缮完工 老商铺陆续回迁",
        paragraphs=(
            "历时十个月的青石街修缮工程日前完工,街面恢复了青石板铺装,沿街二十七家老商铺陆续回迁营业。",
            "修缮中,施工方按照老照片复原了骑楼的木窗和檐口,电线全部入地,排水管网也做了更换。",
            "经营了三十多年酱菜铺的周师傅说,回迁第一天就来了不少老顾客,“街还是那条街,走起来更舒服了”。",
            "街道办介绍,青石街将实行分时段步行管理,每天上午十点到晚上九点禁止机动车驶入。",
        ),
    ),
    SampleArticle(
        slug="book-fair", section="culture", hours_ago=30, source=None, author="",
        title="云溪书市开幕 十万册图书打折销售",
        paragraphs=(
            "第十二届云溪书市昨天在会展中心开幕,八十多家出版社和书店带来了十万余册图书。",
            "今年书市专门设置了本地作家专区,二十多位本地作家轮流到场签售,与读者交流创作体会。",
            "书市期间,所有图书打八折销售,学生凭学生证还可再享九折优惠。",
            "书市将持续五天,每天上午九点到晚上八点开放,市民可免费入场。",
        ),
    ),
    SampleArticle(
        slug="museum-night", section="culture", hours_ago=48, source="云溪日报", author="记者 卢思源", editor="秦素",
        paper="云溪日报", page="07",
        title="市博物馆推出夜场 每周五开放到晚上八点",
        paragraphs=(
            "市博物馆推出夜场开放,每周五开放到晚上八点,夜场期间还安排讲解员定时导览。",
            "博物馆负责人说,夜场主要面向平时白天没空的上班族和学生,首个夜场就接待了一千二百多名观众。",
            "夜场特别开放了青铜器修复工作室,观众可以隔着玻璃观看修复师工作。",
            "博物馆提醒,夜场仍需提前在网上预约,每场限额两千人。",
        ),
    ),
    SampleArticle(
        slug="calligraphy", section="culture", hours_ago=60, source="云溪日报", author="记者 卢思源", editor="秦素",
        column="文化周末",
        title="写春联的老人们",
        paragraphs=(
            "每到腊月,青石街文化站里就坐满了写春联的老人,他们中年纪最大的已经八十七岁。",
            "这个书法小组成立二十年,每年春节前都会为街坊免费写春联,今年写了一千多副。",
            "小组的组长说,写春联最讲究的是字要端正、词要吉利,更要写出街坊们心里的期盼。",
            "今年小组还收了六个小学生徒弟,孩子们从磨墨、裁纸学起,已经能写简单的福字了。",
        ),
    ),
)

# A page the list walk meets that holds no article (a photo gallery): the collector records it
# as a failure, once (it is not fetched again until it changes), and the dashboard charts it.
EMPTY_SLUG = "photo-gallery"


def by_section(section: str) -> list[SampleArticle]:
    return [article for article in ARTICLES if article.section == section]


def by_slug(slug: str) -> SampleArticle:
    return next(article for article in ARTICLES if article.slug == slug)
