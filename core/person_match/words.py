"""The words names and requests are made of, in English and Chinese: titles, family names and how
they are romanised, common words that are also names, the guest naming themselves, desk topics."""
from __future__ import annotations

import re

TITLES_EN = {"mr", "mrs", "ms", "miss", "mx", "dr", "madam", "mdm", "madame", "sir", "prof", "professor",
             "mister", "uncle", "auntie", "aunty"}
# After a Chinese family name (王经理, 何生, 陈小姐), or before it (小王, 老李, 阿陈).
TITLES_ZH = ("先生", "女士", "小姐", "太太", "经理", "总监", "总", "生", "太", "姐", "哥", "老师", "主任", "博士",
              "律师", "顾问", "助理", "行长", "sir", "专员", "主管")
PREFIXES_ZH = ("小", "老", "阿", "姓")
COMPOUND_SURNAMES = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "司徒", "夏侯", "令狐"}
# The guest naming themselves is not the guest naming who they want.
SELF_EN = re.compile(r"\b(?:my name is|my names|i am|im)\s+(?!a\b|an\b|the\b|your\b|looking\b|trying\b|"
                      r"interested\b|calling\b|writing\b|here\b)((?:(?!client\b|customer\b)[a-z]+\s*){1,3}?)"
                      r"(?=$|[,.!?;]|\s+(?:and|i|from|calling|writing|looking|want|would|please|can|could|need)\b)")
SELF_ZH = re.compile(r"(?:我叫|我的名字是|本人是?|我是)[\u4e00-\u9fff]{2,3}?(?=[，,。.!！？?\s想找要请]|$)")
# English words that are also name parts: a name only with a title, or where little else is written.
COMMON_WORDS = {
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "go", "has", "have", "he",
    "her", "him", "his", "how", "i", "if", "in", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or",
    "our", "she", "so", "that", "the", "to", "up", "us", "we", "who", "you", "your", "long", "young", "may",
    "sun", "song", "king", "fan", "man", "pan", "bin", "hang", "ding", "ma", "mo", "yes", "hi", "hey", "hello",
    "want", "need", "call", "talk", "speak", "help", "please", "thanks", "thank", "chat", "good", "morning",
    "will", "bill", "win", "fun", "kit", "oh", "ah",
}
# How one family name is romanised in Mandarin, Cantonese, Hokkien …: "david lee" is David Li.
SPELLINGS = [{"li", "lee", "lei", "lai"}, {"wang", "wong", "vong", "ong"},
             {"huang", "wong", "ng", "hwang", "ooi", "oei"}, {"chen", "chan", "tan", "chin"},
             {"zhang", "cheung", "chang", "teo", "teoh", "chong", "cheong"},
             {"liu", "lau", "lao"}, {"he", "ho", "hoh"}, {"wu", "ng", "woo", "goh"}, {"lin", "lam", "lim"},
             {"yang", "yeo", "yeoh", "yeung", "ieong"}, {"zhou", "chow", "chau", "chew", "chou"},
             {"guo", "kwok", "kuo", "kwek", "quek"}, {"zeng", "tsang", "tseng"},
             {"xie", "tse", "cheah", "hsieh", "chia"},
             {"liang", "leung", "leong", "neo"}, {"feng", "fung"}, {"deng", "tang", "teng"}, {"su", "so", "soh"},
             {"zheng", "cheng", "tay", "teh"}, {"cai", "choi", "tsoi", "chua", "tsai", "choy"},
             {"xu", "hui", "tsui", "koh", "hsu", "khor", "chee"}, {"guan", "kwan", "kuan"}, {"pan", "poon", "phua"},
             {"zhu", "chu", "choo"}, {"mai", "mak"}, {"ye", "yip", "yap", "yeap", "yeh", "ip"}, {"luo", "law", "lo"},
             {"lu", "lo", "loh"}, {"ma", "mah"}, {"hu", "woo", "oh", "foo"}, {"qiu", "chiu", "yau", "khoo"},
             {"hong", "hung", "ang"}, {"zhong", "chung", "cheong", "chong"}, {"zhuang", "chuang", "chng"},
             {"xiao", "hsiao", "siew", "siu"}, {"liao", "liew", "leow"}, {"jiang", "chiang"}, {"peng", "pang", "phang"},
             {"fang", "fong"}, {"shen", "shum"}, {"yuan", "yuen"}, {"ruan", "yuen"}, {"wei", "ngai"}, {"mo", "mok"},
             {"qian", "chien"}, {"tian", "tien"}, {"yan", "yim"}, {"shi", "sze", "shek"}, {"xue", "hsueh"}]

STOP_DESK = {"and", "the", "of", "for", "desk", "team", "head", "senior", "junior", "associate", "officer",
              "services", "service", "specialist", "manager", "advisor", "adviser", "consultant", "executive",
              "director", "planning", "private", "general", "support", "business", "client", "clients",
              "customer", "customers", "account", "accounts", "my", "your", "who", "handles", "does",
              "will",  # (a will written is the topic wills: "my son will take over" is none)
              "speak", "talk", "person"}  # asking to speak to a person: no Mandarin-speaking desk, no personal data

# The commonest Chinese family names: one of them right before a given name says whose it is.
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
                "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
                "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤柳")
CHATTER = {"there", "here", "thanks", "thank", "asap", "now", "today", "urgent", "again", "back", "around",
            "available", "free", "ok", "okay", "thx", "ty", "in", "pls", "plz", "please", "la", "lah", "ah", "ya"}


FUNCTION_WORDS = set("""
a an the and or but if so as at by for from in into of off on onto out over per to up via with about after again
against before below between during regarding concerning re than then too very also just only not no yes all any
some each every this that these those there here when where why how what who whom which whose it its he him his she
other another
her hers they them their we us our you your yours i me my mine am is are was were be been being do does did have has
had can could would should will shall may might must let lets today tomorrow yesterday now soon later tonight asap
pls plz please thanks thank thx hello hi hey dear sorry ok okay call calls talk speak chat meet see contact reach
want wants need needs like looking look find ask help tell message mail email phone number mr ms mrs dr
""".split())

# What a unit's Chinese name ends with: 环球市场部 is also written 环球市场.
UNIT_SUFFIXES_ZH = ("部门", "部", "组", "科", "处", "中心", "团队", "事业部")
# Little words of a request written in pinyin or Cantonese romanisation (wo xiang wen …, ngo seung man …):
# where a need is also written so, these are the request's words, not a given or family name alone.
# Greetings in pinyin or Cantonese romanisation, joined: their syllables are no given names (ni hao: no Hao).
ROMANISED_GREETINGS = frozenset({"nihao", "ninhao", "nihaoma", "neihou", "leihou", "zaoshanghao", "zaoshang",
                                 "wanshanghao", "xiawuhao", "zousan", "dajiahao",
                                 # anyone there? (冇人呀, 有冇人, 有人吗, 在吗; unless the directory has the name)
                                 "mouyan", "yauyan", "yaumouyan", "yauyanmou", "youren", "yourenma", "zaima",
                                 "wanyan", "zhaoren"})  # (搵人, 找人: someone, whoever)

ROMANISED_CHATTER = frozenset("""
wo ni nin ta women nimen xiang yao zhao wen qing gen he de ge shi you mei hao ke yi xia bang mang liao jie shao ren
tong dui bu zai na zhe me ma ba le wei zuo fu ze guan ban mai kai jiao dao gei rang neng hui qu lai ngo nei keoi
seung sheung man wan tung bong mm goi hai bin go yau mou dei jo zo ze lai heoi heui maai zou zoeng jau
""".split())


# Everyday words that hold characters of given names (大文件: 大文 + 件; 明天): a given name found only inside
# one of them is not written (festive greetings and idioms, `lexicon.IDIOMS_ZH`, neither).
COMMON_WORDS_ZH = ("文件", "明天", "明白", "明年", "明日", "文化",
                   "中文", "英文", "文章", "文字", "大家", "家人",
                   "国家", "美国", "中国", "英国", "人民", "生活",
                   "伟大", "强大", "成功", "安全", "平安", "健康",
                   "开心", "快乐", "幸福", "时间", "东西", "问题",
                   "工作", "公司", "资料", "信息", "消息", "电话",
                   "地址", "今天", "昨天", "天气", "欣赏", "华人",
                   "嘉宾", "美元", "美金", "志愿", "发展", "国际",
                   "家庭", "如意", "吉祥", "兴隆", "发财", "新年",
                   "春节", "中秋", "圣诞")

# Idioms that hold a family name or an alias (老王卖瓜: praising one's own goods; 张冠李戴: a mix-up): nobody named.
NAME_IDIOMS_ZH = ("老王卖瓜", "王婆卖瓜", "张三李四", "张冠李戴", "李代桃僵", "张家长李家短", "赵钱孙李", "司马昭之心",
                  "说曹操曹操就到", "说曹操", "孔融让梨", "姜太公钓鱼")

# Given names that are everyday words: a name only where written as one (capitalised inside a sentence) or in
# a name context ("ask for grace", "is sunny there"); "a sunny day" names nobody.
EVERYDAY_NAMES = frozenset("""
sunny joy grace hope will may rain summer angel crystal ivy jade rose lily daisy iris violet holly ruby pearl amber
coral jasmine april june august autumn winter spring dawn faith honey candy cherry ginger sky star storm river brook
mark frank jack bill pat sue art penny sandy chase hunter happy lucky melody harmony precious bliss charity patience
prudence felicity destiny heaven sugar apple peach kitty coco baby gold silver king ray rich guy nick rob
echo fortune jewel gem sunshine cloud snow bee bunny teddy cash sterling
rainbow ocean moon forest willow hazel olive poppy clover blossom meadow glory blessing miracle victory haven
prince hero noble cookie bonnie
""".split())
# Words before or after which a word is a name: "speak to X", "X there?", 找X, X在吗.
NAME_BEFORE_EN = ("ask for", "ask", "speak to", "speak with", "talk to", "talk with", "call", "contact", "reach",
                  "find", "through to", "me to", "me with", "looking for", "dear", "hi", "hello", "hey", "thanks",
                  "attn", "cc")
NAME_AFTER_EN = ("there", "around", "available", "please", "pls", "in the office", "free", "busy", "speaking")
# Chinese given names that are everyday words (weather, seasons, flowers, wishes): a name only in a name context.
NAME_WORDS_ZH = frozenset("""
小雨 大雨 细雨 雨天 春雨 秋雨 晴天 阳光 彩虹 白云 蓝天 雪花 飞雪 春风 清风 微风 晴朗 雨水 晨光 月光 星光 明月 冰雪 霜降
春天 夏天 秋天 冬天 春季 夏季 秋季 冬季 立春 春分 清明 夏至 立秋 秋分 冬至 初春 初夏 新春 小雪 大雪 小满 白露 谷雨
玫瑰 百合 牡丹 梅花 兰花 荷花 桃花 菊花 莲花 茉莉 海棠 杜鹃 紫薇 芙蓉 水仙 丁香 樱花 雪莲 芳菲 红梅 春花 秋月
美丽 快乐 平安 健康 幸福 如意 吉祥 欢乐 开心 富贵 安康 美好 光明 和平 永远 成功 胜利 志愿 文静 安静 温柔
天天 明明 常常 刚刚 渐渐 慢慢 好好 多多 乐乐 欣欣 悠悠 国庆 建国 建军 中华 振华 爱国 富强 向荣 新华 东方
""".split())
# Of them, those a question starts with as often (想问下天明之前…: before dawn): an everyday word after them is no name.
ASKING_ZH = ("问", "请", "问下", "麻烦")
NAME_BEFORE_ZH = ("找", "问", "请", "叫", "揾", "搵", "同", "跟", "给", "联系", "联络", "转", "接", "致", "问下",
                  "麻烦", "找一下", "找下")
NAME_AFTER_ZH = ("在吗", "在不在", "在么", "在嘛", "在唔在", "喺唔喺", "喺度", "有空", "得闲", "你好", "您好", "姐",
                 "哥", "仔", "小姐", "先生", "女士", "太太", "老师", "经理", "总")
# Words a name stands beside in a sentence (我同嘉欣讲过, 嘉欣的电话, 嘉欣今天在吗): a given name between them,
# or at a stop, is not run into a longer word.
# Particles no name is written with (嚟 of 过嚟, "come over": no 郭丽 typed as it sounds).
PARTICLES_ZH = frozenset("的了吗呢吧啊呀嘛啦喇咩嚟咗嘅哋啲喺冇唔嘢噉咁嗰")
NAME_SIDE_ZH = ("的", "嘅", "和", "同", "跟", "是", "系", "让", "叫", "帮", "话", "说", "讲", "呢", "吗", "啊", "呀",
                "在", "喺", "今天", "明天", "有", "会", "可以", "能", "几时", "什么", "点", "负责", "那边", "嗰边",
                "回", "打", "告诉", "通知", "被", "请", "麻烦", "我想找", "想找", "一下", "下")
# Chinese titles in pinyin or Cantonese romanisation after a family name (zhou jingli, wong saang): the family
# name is titled, the title no name ("jingli" is not Jing Li).
ROMANISED_TITLES = (("jing", "li"), ("jingli",), ("xian", "sheng"), ("xiansheng",), ("xiao", "jie"), ("xiaojie",),
                    ("nv", "shi"), ("nu", "shi"), ("nvshi",), ("nushi",), ("tai", "tai"), ("taitai",),
                    ("zong", "jian"), ("zongjian",), ("lao", "shi"), ("laoshi",), ("zhu", "ren"), ("zhuren",),
                    ("gu", "wen"), ("guwen",), ("zong",), ("ging", "lei"), ("ginglei",), ("sin", "saang"),
                    ("saang",), ("siu", "je"), ("siuje",), ("taai",), ("zung",), ("sir",), ("je",), ("ze",), ("jie",))
