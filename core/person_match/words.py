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
SPELLINGS = [{"li", "lee", "lei", "lai"}, {"wang", "wong", "vong"}, {"huang", "wong", "ng", "hwang"},
              {"chen", "chan", "tan", "chin"}, {"zhang", "cheung", "chang", "teo", "chong"}, {"liu", "lau", "lao"},
              {"he", "ho", "hoh"}, {"wu", "ng", "woo", "goh"}, {"lin", "lam", "lim"}, {"yang", "yeung", "yeo"},
              {"zhou", "chow", "chau", "chew"}, {"guo", "kwok", "kuo"}, {"zeng", "tsang", "tseng"},
              {"xie", "tse", "cheah"}, {"liang", "leung"}, {"feng", "fung"}, {"deng", "tang"}, {"su", "so"},
              {"zheng", "cheng", "tay"}, {"cai", "choi", "tsoi", "chua"}, {"xu", "hui", "tsui", "koh"},
              {"guan", "kwan"}, {"pan", "poon", "phua"}, {"zhu", "chu", "choo"}, {"mai", "mak"}, {"ye", "yip"},
              {"luo", "law", "lo"}, {"lu", "lo", "loh"}, {"ma", "mah"}, {"hu", "woo", "oh"}]

STOP_DESK = {"and", "the", "of", "for", "desk", "team", "head", "senior", "junior", "associate", "officer",
              "services", "service", "specialist", "manager", "advisor", "adviser", "consultant", "executive",
              "director", "planning", "private", "general", "support", "business", "client", "clients",
              "customer", "customers", "account", "accounts", "my", "your", "who", "handles", "does"}

# Topics guests ask for, in both languages; a desk is on a topic when its words name it.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "mortgage": (("mortgage", "home loan", "property loan", "housing loan", "remortgage"),
                 ("按揭", "房贷", "房屋贷款", "楼按", "樓按", "房贷款", "买楼", "供楼", "转按", "加按",
                  "楼宇按揭", "买房", "房屋按揭", "供房")),
    "loan": (("loan", "lending", "credit line", "borrow"),
             ("贷款", "借款", "信贷", "借钱", "私人贷款", "税贷", "私贷", "借贷")),
    "funds": (("fund", "unit trust", "mutual fund", "etf"), ("基金", "单位信托", "单位信讬", "共同基金")),
    "bonds": (("bond", "fixed income", "treasury", "notes"),
              ("债券", "固定收益", "国债", "债", "固收", "定息", "美债", "票据", "存款证")),
    "equities": (("equity", "equities", "stock", "share", "securities", "brokerage", "stock trading"),
                 ("股票", "股份", "证券", "炒股", "港股", "美股", "a股", "股", "新股", "认购", "窝轮",
                  "牛熊证", "派息", "股息", "碎股")),
    "fx": (("foreign exchange", "forex", "fx", "currency", "currencies", "exchange rate"),
           ("外汇", "换汇", "汇率", "外币", "兑换", "换钱", "汇价", "找换", "美金", "美元", "人民币", "港币", "港纸",
            "澳元", "英镑", "欧元", "日元", "加元")),
    "trust": (("trust", "estate planning", "estate", "inheritance", "succession"),
              ("信托", "遗产", "传承", "家族信托", "离岸", "遗嘱", "平安纸", "遗产规划", "财富传承")),
    "family_office": (("family office",), ("家族办公室",)),
    "education": (("education", "school", "university", "tuition", "college"), ("教育", "学费", "留学", "上学")),
    "auto": (("car", "auto", "vehicle", "motor"), ("车", "汽车", "车贷", "车险")),
    "digital": (("app", "online banking", "mobile banking", "login", "log in", "password", "digital",
                 "internet banking"),
                ("登录", "登陆", "网银", "手机银行", "网上银行", "密码", "app")),
    "tax": (("tax", "taxes", "taxation", "crs", "fatca"),
            ("税", "税务", "报税", "纳税", "交税", "税表", "扣税", "薪俸税", "利得税")),
    "retirement": (("retirement", "retire", "pension", "mpf", "cpf", "annuity", "annuities"),
                   ("退休", "养老", "养老金", "强积金", "年金", "公积金")),
    "annuity": (("annuity", "annuities"), ("年金",)),
    "mpf": (("mpf", "provident fund"), ("强积金", "积金", "供款", "自愿供款")),
    "insurance": (("insurance", "insure", "policy", "cover", "coverage", "underwriting", "premium"),
                  ("保险", "保单", "投保", "保费", "核保", "买保")),
    "life": (("life insurance", "life cover", "whole life", "term life"), ("寿险", "人寿", "人寿保险", "储蓄寿险")),
    "medical": (("medical", "health", "hospital", "healthcare", "vhis"),
                ("医疗", "医保", "健康险", "住院", "医疗保险", "睇医生", "看病", "门诊", "手术")),
    "critical": (("critical illness", "critical", "cancer cover"), ("重疾", "危疾", "重大疾病")),
    "travel": (("travel",), ("旅游", "旅行", "旅游保险", "旅行保险")),
    "claims": (("claim", "claims"), ("理赔", "索偿", "索赔", "赔付", "报销")),
    "cards": (("credit card", "card", "cards"),
              ("信用卡", "卡", "信用咭", "咭", "卡数", "咭数", "年费", "碌卡", "刷卡")),
    "deposits": (("deposit", "savings", "time deposit", "fixed deposit"), ("存款", "定期", "储蓄", "存钱")),
    "wealth": (("wealth", "private banking", "relationship manager", "rm", "private wealth"),
               ("财富", "私人银行", "客户经理", "理财经理", "理财", "私行")),
    "private_banking": (("private banking", "private bank", "private banker"), ("私人银行", "私行")),
    "investment": (("investment", "invest", "portfolio"), ("投资", "投资组合")),
    "agency": (("agent", "agency", "broker"), ("代理人", "经纪", "经纪人", "代理")),
    "service": (("customer service", "service", "complaint", "complaints"), ("客服", "客户服务", "投诉", "申诉")),
    "complaints": (("complaint", "complaints", "feedback"),
                   ("投诉", "意见反馈", "反馈", "申诉", "服务太差", "唔满意", "不满意", "不满")),
    "account": (("account opening", "open an account", "new account", "onboarding"),
                ("开户", "开账户", "开个户", "开户口", "开个户口", "开银行户口", "开银行账户", "开个账户", "开帐户")),
    "payments": (("payment", "payments", "remittance", "transfer", "wire"), ("汇款", "转账", "付款", "电汇")),
    "gold": (("gold", "precious metal", "precious metals"), ("黄金", "贵金属")),
    "derivatives": (("derivative", "derivatives", "option", "options", "structured product"),
                    ("衍生", "期权", "结构性产品", "结构性")),
    "home_insurance": (("home insurance", "household insurance", "contents insurance", "property insurance"),
                       ("家居保险", "家财险", "家居险", "房屋保险")),
    "accident": (("accident", "personal accident"), ("意外", "意外险")),
    "underwriting": (("underwriting", "underwriter"), ("核保",)),
    "compliance": (("compliance", "aml", "anti money laundering", "kyc", "due diligence"),
                   ("反洗钱", "合规", "尽职调查", "尽调")),
    "careers": (("job", "jobs", "career", "careers", "recruitment", "hiring", "vacancy", "human resources"),
                ("应聘", "招聘", "求职", "职位", "工作机会", "人事")),
    "corporate": (("corporate", "company account", "business banking", "sme"), ("企业", "公司业务", "对公")),
    "esg": (("esg", "sustainable", "sustainability", "green investing"), ("可持续", "绿色投资", "绿色金融", "esg")),
    "private_equity": (("private equity", "alternative investment", "alternatives", "hedge fund", "venture capital"),
                       ("私募", "私募股权", "另类投资", "对冲基金")),
    "discretionary": (("discretionary", "managed portfolio"), ("全权委托", "委托管理", "代客理财")),
    "lombard": (("lombard", "securities backed", "margin loan"), ("股票质押", "证券质押", "孖展")),
    "endowment": (("endowment", "savings insurance", "savings plan"), ("储蓄险", "储蓄保险", "分红险")),
    "billing": (("billing", "bill", "premium payment"), ("缴费", "账单", "交保费", "付保费")),
    "benefits": (("employee benefits", "group insurance", "group medical"), ("员工福利", "团体保险", "团险")),
    "ilas": (("ilas", "investment linked", "investment-linked"), ("投连险", "投资相连", "投资连结")),
    "marketing": (("marketing", "advertising", "press", "sponsorship"), ("市场推广", "营销", "广告", "赞助", "公关")),
    "legal": (("legal", "lawyer", "contract"), ("法务", "法律", "合同")),
    "research": (("research", "analyst", "market outlook"), ("研究", "研报", "分析师", "市场分析")),
    "policy_service": (("beneficiary", "policy change", "policy servicing"), ("受益人", "保单变更", "保全")),
    # Places: where a sub-organization or a desk is ("Kevin in Singapore", "香港的陈生").
    "hong_kong": (("hong kong", "hk", "hongkong", "kowloon"), ("香港", "本港", "九龙")),
    "singapore": (("singapore", "sg"), ("新加坡", "星加坡")),
    "shanghai": (("shanghai",), ("上海",)),
    "mainland": (("mainland", "prc"), ("内地", "大陆")),
}


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

# Roles: whom in a desk, not what it does ("保险部的主管" is the head of insurance, not a topic).
ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "head": (("head", "chief", "director", "boss", "leader", "in charge"),
             ("主管", "负责人", "总监", "主任", "部长", "总经理", "老大", "领导", "老细", "话事人", "头头")),
    "assistant": (("assistant", "secretary"), ("助理", "秘书", "助手")),
}
# Expressions that hold a topic's characters and mean something else (保险起见: to be safe).
IDIOMS_ZH = ("保险起见", "保险些", "基金会", "屁股", "一股", "车站", "堵车", "开车", "卡住", "卡顿", "定期联系",
             "不定期", "很意外", "意外的是", "出意外", "兑换码", "保险柜", "保险箱", "打卡", "卡拉", "卡通", "卡车",
             "关卡")
# The same in English: "transfer me to …" asks for a person, not a payment; "who covers" is not insurance.
IDIOMS_EN = ("transfer me", "transfer us", "transfer my call", "who covers", "covering for", "cover for",
             "share your", "share his", "share her", "share the contact")
PLACES = frozenset({"hong_kong", "singapore", "shanghai", "mainland"})  # the topics that are where a desk is
# What a unit's Chinese name ends with: 环球市场部 is also written 环球市场.
UNIT_SUFFIXES_ZH = ("部门", "部", "组", "科", "处", "中心", "团队", "事业部")
# Words that hold a topic's word and are not about it: a tax loan (税贷) is a loan, not tax advice.
NOT_ABOUT_ZH: dict[str, tuple[str, ...]] = {"tax": ("税贷", "交税贷款"), "wealth": ("财富传承",),
                                             "head": ("负责人寿", "负责人民币")}
# Needs written in Cantonese romanisation (Hong Kong's own spellings and Jyutping), joined, as the Chinese
# words they spell (pinyin is read from the topic table itself).
CANTONESE_NEEDS = {
    "bouhim": "保险", "bohim": "保险", "boudaan": "保单", "bodan": "保单", "geigam": "基金", "gaygum": "基金",
    "ngoiwui": "外汇", "oiwui": "外汇", "keungjikgam": "强积金", "koengzikgam": "强积金", "jikgam": "积金",
    "onkit": "按揭", "ngonkit": "按揭", "ongit": "按揭", "gunglau": "供楼", "seuntok": "信托", "seontok": "信托",
    "jaaigyun": "债券", "zaaigyun": "债券", "chaikuen": "债券", "gupiu": "股票", "gwupiu": "股票", "chaaugu": "炒股",
    "daaifun": "贷款", "taaifun": "贷款", "seunyungkaat": "信用卡", "seonjungkaat": "信用卡", "tausou": "投诉",
    "seuimou": "税务", "boseui": "报税", "hoiwuhau": "开户口", "waichaan": "遗产",
    "jyugun": "主管", "chyugun": "主管", "lousai": "老细",
    "yansau": "人寿", "jansau": "人寿", "yiliu": "医疗", "jiliu": "医疗", "leingon": "离岸", "teuiyau": "退休",
}
