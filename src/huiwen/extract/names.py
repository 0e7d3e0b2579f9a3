"""What a Chinese reader knows about people's names: they open with a family name.

Bylines run names together (``记者彭远侯晓婷``), datelines put a name where an outlet could
stand (``来源：尹娟``), and a meta line holds both outlets and people with no label to tell
them apart.  A reader settles all three by the family names: two or three characters opening
with a common surname read as a person, a run of such names splits where the next surname
starts.  The tables below are the common family names (the few hundred that cover almost all
people), in simplified and traditional forms, most common first, and the compound ones.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Most common first: the order breaks ties when a run of names splits two ways.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦"
    "褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明"
    "佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅"
    "屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修"
    "邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富"
    "尧闭由洪萧赖"
    # Traditional forms of the names above that differ.
    "張劉陳楊黃趙吳孫馬羅鄭謝許韓馮鄧蕭蔣葉蘇呂盧鍾鐘譚陸賈韋鄒閻龍陶賀顧龔萬錢嚴溫喬龐顏聶魯嶽歐關蘭紀"
    "畢單塗駱藍鮑華饒繆簡車項蘆麥婁竇費衛欒榮鄺鄔勞諶藺樓盤聞厲區闞權帥練豐計晉門雲闕鞏莊齊鄔賴凃"
)
_COMPOUND = (
    "欧阳歐陽司马司馬上官诸葛諸葛东方東方皇甫令狐慕容尉迟尉遲长孙長孫宇文司徒夏侯公孙公孫轩辕軒轅端木独孤獨孤"
    "南宫南宮西门西門呼延澹台濮阳濮陽申屠万俟百里钟离鍾離闻人聞人赫连赫連第五左丘拓跋完颜完顏范姜张简張簡张廖張廖"
)
# Every compound family name has two characters.
_COMPOUND_SURNAMES = frozenset(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 2))
_RANK: dict[str, int] = {}
for _rank, _character in enumerate(_SURNAMES):
    _RANK.setdefault(_character, _rank)
_HAN_RE = re.compile(r"^[\u4e00-\u9fff]+$")
# 买买提·艾力, 布蘭登．山德森: a transliterated name, its parts joined by a middle dot.
_TRANSLITERATED_RE = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:[·•．・][\u4e00-\u9fff]{1,8}){1,3}$")
# 蒋 凌: a two-character name padded to the width of three.
_PADDED_RE = re.compile(r"^[\u4e00-\u9fff] [\u4e00-\u9fff]$")


# U+FFFD is what a decoder writes for bytes it could not read: a rare character of a name that
# the page's encoding lacks (郑�宁).  After a family name it is a character of that person's
# name, and the name is kept as the page shows it (the desk can put the character right); where
# the family name itself is lost (��远) no one can be told.  While a byline is read, the lost
# character stands in as a Han character the byline patterns accept: U+9FFF, the last of the
# block, which Chinese text does not use.
DAMAGED = "\ufffd"
_STAND_IN = "\u9fff"
_LOST_IN_NAME_RE = re.compile(f"(?<=[{_SURNAMES}]){DAMAGED}")


def mended(text: str) -> str:
    """``text`` with each character lost after a family name standing in as a Han character."""
    if _STAND_IN in text:
        return text  # then nothing is mended rather than names mixed up
    return _LOST_IN_NAME_RE.sub(_STAND_IN, text)


def as_shown(name: str) -> str:
    """A name read from :func:`mended` text as the page shows it."""
    return name.replace(_STAND_IN, DAMAGED)


def surname_of(name: str) -> str | None:
    """The family name opening ``name`` (compound ones first), if it opens with one."""
    if name[:2] in _COMPOUND_SURNAMES:
        return name[:2]
    return name[:1] if name[:1] in _RANK else None


def is_person_name(name: str) -> bool:
    """Two to four Han characters opening with a family name (four only after a compound one,
    ``欧阳娜娜``), a padded two-character name, or a transliterated name with a middle dot."""
    name = name.strip()
    if _PADDED_RE.match(name):
        return name[0] in _RANK
    if _TRANSLITERATED_RE.match(name):
        return True
    if not _HAN_RE.match(name) or not 2 <= len(name) <= 4:
        return False
    surname = surname_of(name)
    if surname is None:
        return False
    return len(name) <= 3 or len(surname) == 2


def split_glued(run: str) -> list[str]:
    """A run of names written without separators, split where each next surname starts
    (``彭远侯晓婷`` → 彭远, 侯晓婷).  A run that reads as one name, or that does not split
    wholly into names, is returned as it is."""
    if not _HAN_RE.match(run) or len(run) < 4 or (len(run) == 4 and run[:2] in _COMPOUND_SURNAMES):
        return [run]
    best = _best_split(run)
    return list(best) if best else [run]


@lru_cache(maxsize=4096)
def _best_split(run: str) -> tuple[str, ...] | None:
    """The split of ``run`` into names of two or three characters (three or four after a
    compound surname) whose surnames are the most common; three-character names are preferred
    on a tie, being the more common kind."""
    found: list[tuple[tuple[int, int], tuple[str, ...]]] = []
    _splits(run, (), found)
    if not found:
        return None
    return min(found)[1]


def _splits(rest: str, done: tuple[str, ...], found: list[tuple[tuple[int, int], tuple[str, ...]]]) -> None:
    if not rest:
        if len(done) >= 2:
            cost = sum(_RANK.get(name[0], 0) if name[:2] not in _COMPOUND_SURNAMES else 0 for name in done)
            found.append(((cost, len(done)), done))
        return
    if len(done) >= 6:
        return
    surname = surname_of(rest)
    if surname is None:
        return
    lengths = (3, 4) if len(surname) == 2 else (3, 2)
    for length in lengths:
        if len(rest) >= length:
            _splits(rest[length:], (*done, rest[:length]), found)
