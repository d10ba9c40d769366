"""What guests of a Hong Kong / mainland private bank and insurer ask about, in the words a desk or a title
would use in English and in Chinese (Simplified, as text is folded to: Traditional and Hong Kong words read
as these; Cantonese colloquial too): the topics, which is a narrower kind of which, the places, the roles,
and the expressions that hold a topic's word and mean something else. What guests describe rather than name
(a diagnosis, buying a flat, a death in the family) is in situations.py, read as the topics' words are."""
from __future__ import annotations

from core.person_match.desk_terms import (DESK_BROADER, DESK_CANTONESE, DESK_LINES, DESK_NOT_ABOUT, DESK_TOPICS,
                                          NAMELIKE_ZH)
from core.person_match.places import HELD_IN, NOT_IN_PINYIN, PLACE_NOT_ABOUT, PLACE_TOPICS
from core.person_match.situations import SITUATIONS, Table

# Topics guests ask for, in both languages; a desk is on a topic when its words name it. English words
# compare by stem (claim ~ claims), phrases as written (a hyphen is a space); Chinese words anywhere.
TOPICS: Table = {
    # Property
    "mortgage": (("mortgage", "home loan", "property loan", "housing loan", "remortgage"),
                 ("按揭", "房贷", "房屋贷款", "楼按", "房贷款", "买楼", "供楼", "楼宇按揭", "买房", "房屋按揭", "供房",
                  "首期", "转按", "加按", "二胎房贷", "房屋二胎")),
    "first_home": (("first time buyer", "first home", "first property", "first time home"),
                   ("首置", "首次置业", "第一次买楼", "第一次买房", "第一套房", "第一间屋", "第一层楼", "首套",
                    "首次买楼", "首次买房", "首次购房", "上车")),
    "refinancing": (("refinance", "refinancing", "remortgage", "switch my mortgage", "equity release", "refi",
                     "cash out refinance"),
                    ("转按", "加按", "转按揭", "重新按揭", "再融资", "转贷", "按揭转", "重新贷款")),
    "home_equity": (("home equity line", "home equity lines", "heloc", "home equity loan", "home equity loans"),
                    ("房屋净值", "房屋净值贷款", "房屋净值信贷", "房屋净值额度")),
    "commercial_property": (("commercial property", "commercial real estate", "commercial mortgage", "office space",
                             "retail property", "industrial property"),
                            ("商铺", "铺位", "舖位", "铺头", "舖头", "写字楼", "商业物业", "商业楼宇", "工厦",
                             "工业大厦", "商厦", "商用物业", "厂房", "商业地产", "商业按揭")),
    "valuation": (("valuation", "appraisal", "property value"),
                  ("估价", "估值", "物业估价", "楼价评估", "验楼")),
    "housing_scheme": (("home ownership scheme", "mortgage insurance programme", "green form", "public housing"),
                       ("居屋", "绿置居", "按揭保险计划", "八成按", "九成按", "公屋", "夹屋", "公积金贷款")),
    "loan": (("loan", "lending", "credit line", "borrow", "line of credit", "lines of credit"),
             ("贷款", "借款", "信贷", "借钱", "借贷")),
    "personal_loan": (("personal loan", "unsecured loan", "tax loan", "balance transfer"),
                      ("私人贷款", "私贷", "税贷", "个人贷款", "私人借贷", "清卡数", "结余转户", "交税贷款")),
    "lombard": (("lombard", "securities backed", "margin loan", "margin"),
                ("股票质押", "证券质押", "孖展", "股票抵押", "抵押股票", "股票做抵押", "股票组合做抵押", "组合做抵押",
                 "投资组合抵押", "用股票借钱")),
    "auto": (("car", "auto", "vehicle", "motor"), ("车", "汽车", "车贷", "车险")),
    # Investing
    "investment": (("investment", "invest", "portfolio"), ("投资", "投资组合")),
    "funds": (("fund", "unit trust", "mutual fund", "etf"), ("基金", "单位信托", "单位信讬", "共同基金", "公募",
                                                               "基金净值")),
    "bonds": (("bond", "fixed income", "treasury", "notes"),
              ("债券", "固定收益", "国债", "债", "固收", "定息", "美债", "票据", "存款证")),
    "equities": (("equity", "equities", "stock", "share", "securities", "brokerage", "stock trading"),
                 ("股票", "股份", "证券", "炒股", "港股", "美股", "a股", "股", "新股", "认购", "窝轮",
                  "牛熊证", "派息", "股息", "碎股", "复委托", "零股", "当冲", "台股")),
    "derivatives": (("derivative", "derivatives", "option", "options", "structured product", "structured"),
                    ("衍生", "期权", "结构性产品", "结构性", "结构产品", "累计期权", "结构性票据", "选择权")),
    "private_equity": (("private equity", "alternative investment", "alternatives", "hedge fund", "venture capital",
                        "private fund", "private funds"),
                       ("私募", "私募股权", "另类投资", "对冲基金")),
    "esg": (("esg", "sustainable", "sustainability", "green investing"), ("可持续", "绿色投资", "绿色金融", "esg")),
    "discretionary": (("discretionary", "managed portfolio"),
                      ("全权委托", "委托管理", "代客理财", "全权打理", "全权管理", "全权代理", "交给你们打理",
                       "交俾你哋打理")),
    "gold": (("gold", "precious metal", "precious metals", "bullion", "silver"),
             ("黄金", "贵金属", "金条", "金币", "纸黄金", "白银", "铂金", "金价", "买金", "卖金", "金粒")),
    "research": (("research", "analyst", "market outlook"), ("研究", "研报", "分析师", "市场分析")),
    # Wealth
    "wealth": (("wealth", "private banking", "relationship manager", "rm", "private wealth"),
               ("财富", "私人银行", "客户经理", "理财经理", "理财", "私行", "理专")),
    "private_banking": (("private banking", "private bank", "private banker"), ("私人银行", "私行")),
    "uhnw": (("ultra high net worth", "high net worth", "uhnw", "uhnwi", "hnw", "hnwi"),
             ("超高净值", "高净值", "高资产", "超高资产", "超级富豪")),
    "trust": (("trust", "estate planning", "estate", "inheritance", "succession"),
              ("信托", "遗产", "传承", "家族信托", "离岸", "遗产规划", "财富传承", "继承", "身后事")),
    # Planning what one leaves (a will, succession): narrower than trusts in general.
    "estate_planning": (("estate planning", "succession planning", "inheritance", "succession", "will writing",
                         "legacy planning", "wills", "testament", "wealth transfer"),
                        ("遗产规划", "遗产", "继承", "传承", "财富传承", "遗嘱", "平安纸", "身后事", "传承规划",
                         "遗产安排")),
    "family_office": (("family office", "variable capital company", "vcc"), ("家族办公室", "家办", "家族理财室")),
    "tax": (("tax", "taxes", "taxation", "crs", "fatca", "cgt"),
            ("税", "税务", "报税", "纳税", "交税", "税表", "扣税", "薪俸税", "利得税", "遗产税", "税单", "资本利得税",
             "资本增值税")),
    "entrepreneurs": (("entrepreneur", "entrepreneurs", "business owner", "business owners", "start up company"),
                      ("企业家", "企业主", "做生意", "生意人", "创业", "东主", "自己做老板", "开公司")),
    "education": (("education", "school", "university", "tuition", "college"),
                  ("教育", "学费", "留学", "上学", "教育基金")),
    # Insurance
    "insurance": (("insurance", "insure", "policy", "cover", "coverage", "underwriting", "premium"),
                  ("保险", "保单", "投保", "核保", "买保", "保障", "保费")),
    "life": (("life insurance", "life cover", "whole life", "term life", "life and critical illness", "life and ci",
              "life and health", "life and medical", "life & critical illness"),  # an insurer's own unit names
             ("寿险", "人寿", "人寿保险", "储蓄寿险", "人寿险", "终身寿险", "定期寿险", "增额终身寿", "美元保单",
              "外币保单")),
    "medical": (("medical", "health", "hospital", "healthcare", "vhis"),
                ("医疗", "医保", "健康险", "住院", "医疗保险", "睇医生", "看病", "门诊", "手术", "自愿医保", "医疗险",
                 "入院", "医药费", "医疗费", "住院费", "睇病", "就医")),
    "critical": (("critical illness", "critical", "cancer cover"),
                 ("重疾", "危疾", "重大疾病", "癌症", "重疾险", "危疾险", "重大疾病险", "癌症险")),
    "travel": (("travel",), ("旅游", "旅行", "旅游保险", "旅行保险", "旅游险", "旅行险", "旅保")),
    "accident": (("accident", "personal accident"), ("意外", "意外险")),
    "home_insurance": (("home insurance", "household insurance", "contents insurance", "property insurance",
                        "landlord insurance", "landlords insurance", "home policy", "home policies",
                        "household policy", "household policies"),
                       ("家居保险", "家财险", "家居险", "房屋保险", "家财保险", "房东保险", "出租屋保险")),
    "helper": (("domestic helper", "helper insurance", "maid insurance", "foreign domestic helper", "my helper",
                "my maid"),
               ("外佣", "菲佣", "印佣", "家佣", "工人姐姐", "家务助理", "佣工", "外籍家庭佣工", "姐姐保险")),
    "claims": (("claim", "claims"), ("理赔", "索偿", "索赔", "赔付", "报销", "赔偿", "申索", "赔钱")),
    "premium": (("premium", "premiums", "premium payment"), ("保费", "交保费", "付保费", "缴保费", "供保费", "保费单")),
    "policy_service": (("beneficiary", "policy change", "policy servicing", "policy service", "surrender",
                        "reinstatement", "cancel my policy", "renew my policy", "policy renewal"),
                       ("受益人", "保单变更", "保全", "改保单", "退保", "复效", "保单贷款", "保单服务", "续保", "续期",
                        "取消保单")),
    "endowment": (("endowment", "savings insurance", "savings plan"), ("储蓄险", "储蓄保险", "分红险")),
    "ilas": (("ilas", "investment linked", "investment-linked"), ("投连险", "投资相连", "投资连结")),
    "annuity": (("annuity", "annuities"), ("年金",)),
    "benefits": (("employee benefits", "group insurance", "group medical", "flexible benefits"),
                 ("员工福利", "团体保险", "团险", "弹性福利")),
    "underwriting": (("underwriting", "underwriter"), ("核保",)),
    "agency": (("agent", "agency", "broker"), ("代理人", "经纪", "经纪人", "代理")),
    "retirement": (("retirement", "retire", "pension", "mpf", "cpf", "annuity", "annuities", "superannuation",
                    "super fund", "super funds", "super account", "super accounts", "my super", "his super",
                    "her super", "their super", "how does super", "about super"),
                   ("退休", "养老", "养老金", "强积金", "年金", "公积金", "退休金",
                    # Australia's super, named in Latin letters among Chinese (取super, super账户, 佢啲super)
                    "super账户", "super户口", "取super", "交super", "领super", "攞super", "俾super", "拎super",
                    "的super", "嘅super", "啲super", "个super")),
    "mpf": (("mpf", "provident fund"), ("强积金", "积金", "供款", "自愿供款", "积金局")),
    # Everyday banking
    "account": (("account opening", "open an account", "new account", "onboarding", "open account", "opening accounts",
                 "open accounts", "opening an account", "new accounts", "account opened", "get a bank account",
                 "new to canada accounts", "accounts for newcomers", "newcomer accounts"),
                ("开户", "开账户", "开个户", "开户口", "开个户口", "开银行户口", "开银行账户", "开个账户",
                 "开个银行户口", "开个银行账户", "开立账户", "开立户口", "开设账户", "支票账户", "支票户口",
                 # an account that will not open
                 "账户开不下来", "户口开不下来", "开不到户", "开唔到户", "账户开不了", "户口开唔到")),
    "non_resident": (("non resident", "nonresident", "expat", "expats", "expatriate", "overseas client",
                      "foreign national", "foreign client"),
                     ("非居民", "非本地居民", "外籍", "外国人", "海外客户", "非港人", "境外人士", "外籍人士",
                      "非香港居民", "唔系香港居民", "不是香港居民", "唔系本地居民", "不是本地居民", "海外人士")),
    "student": (("student", "students"), ("学生", "留学生", "大学生", "学生户口", "学生账户")),
    "corporate": (("corporate", "company account", "business banking", "sme", "business account", "for my company"),
                  ("企业", "公司业务", "对公", "公司户口", "公司账户", "商业户口", "中小企", "有限公司")),
    "corporate_account": (("corporate account", "company account", "business account", "business checking",
                           "business savings"),
                          ("公司户口", "公司账户", "公司开户", "企业账户", "商业户口", "对公账户", "企业开户",
                           "公司支票账户", "公司支票户口")),
    "statements": (("statements", "bank statement", "e statement", "contract note", "contract notes",
                    "trade confirmation", "trade confirmations"),
                   ("结单", "月结单", "对账单", "月结", "电子结单", "成交单", "成交单据", "买卖单据", "交易单据",
                    "年结单", "周年结单", "保单年结", "的年结", "嘅年结")),  # (not 明年结婚)
    "details_change": (("change of address", "address change", "personal details", "change my address",
                        "change of particulars", "update of particulars",
                        "update my details", "personal particulars", "change of details", "contact detail changes",
                        "address changes", "update my address"),
                       ("改地址", "更改地址", "地址变更", "更新资料", "更改资料", "个人资料", "改资料", "转地址",
                        "更改个人资料", "改电话", "更改联络")),
    "cards": (("credit card", "card", "cards", "credit limit"),
              ("信用卡", "卡", "信用咭", "咭", "卡数", "咭数", "年费", "碌卡", "刷卡", "扣账卡", "提款卡", "信用额",
               "信用额度", "卡额")),
    "deposits": (("deposit", "savings", "time deposit", "fixed deposit", "certificate of deposit", "cd", "cds"),
                 ("存款", "定期", "储蓄", "存钱", "定存", "活期")),
    # The back office as a unit: 运营总监 is its head, a Head of Operations or the COO (首席运营官), asked which.
    "operations": (("operations", "operating officer", "back office"), ("运营", "营运", "运营部", "营运部")),
    "safe_box": (("safe deposit box", "safe deposit", "safety deposit", "safe box"),
                 ("保险箱", "保险柜", "夹万", "保管箱")),
    "payments": (("payment", "payments", "transfer", "wire"), ("转账", "付款", "过数", "转数快", "fps", "转钱")),
    "remittance": (("remittance", "remittances", "remit", "telegraphic transfer", "telegraphic", "wire transfer", "tt",
                    "international transfer", "swift"),
                   ("汇款", "电汇", "汇钱", "跨境汇款", "汇去", "汇返", "汇出", "汇入", "汇回", "汇到")),
    "fx": (("foreign exchange", "forex", "fx", "currency", "currencies", "exchange rate"),
           ("外汇", "换汇", "汇率", "外币", "兑换", "换钱", "汇价", "找换", "美金", "美元", "人民币", "港币", "港纸",
            "澳元", "英镑", "欧元", "日元", "加元")),
    "rmb": (("rmb", "renminbi", "cnh", "cny"), ("人民币", "人仔")),
    "cross_border": (("cross border", "crossborder", "wealth management connect", "northbound", "southbound"),
                     ("跨境", "理财通", "跨境理财通", "北向通", "南向通", "两地")),
    "digital": (("app", "online banking", "mobile banking", "login", "log in", "log into", "password", "digital",
                 "online trading", "trading app", "trading platform", "it support", "account access",
                 "technical support", "tech support", "internet banking"),
                ("登录", "登陆", "网银", "手机银行", "网上银行", "密码", "app")),
    "appointments": (("appointment", "appointments", "booking", "book a meeting", "schedule a meeting"),
                     ("预约", "约时间", "约个时间", "约见", "订个时间", "预约见面", "约个钟")),
    # Service
    "service": (("customer service", "service"), ("客服", "客户服务")),
    "complaints": (("complaint", "complaints", "feedback"),
                   ("投诉", "客诉", "意见反馈", "反馈", "申诉", "服务太差", "唔满意", "不满意", "不满")),
    "compliance": (("compliance", "aml", "anti money laundering", "kyc", "due diligence", "know your customer",
                    "regulatory", "regulator", "regulators"),
                   ("反洗钱", "合规", "尽职调查", "尽调", "洗黑钱", "洗钱", "客户审查", "监管", "证监会", "金管局",
                    "保监局", "保监会", "银保监")),
    # Checks on a client (anti-money laundering, know your customer): narrower than compliance in general.
    "aml": (("aml", "anti money laundering", "kyc", "know your customer", "due diligence", "source of funds",
             "source of wealth"),
            ("反洗钱", "反洗黑钱", "洗黑钱", "洗钱", "尽职调查", "尽调", "客户审查", "资金来源", "财富来源",
             "认识你的客户")),
    # Visitors from elsewhere (mainland visitors buying Hong Kong insurance, tourists).
    "visitor": (("visitor", "visitors", "tourist", "tourists", "visiting", "super visa"),
                ("访客", "游客", "旅客", "自由行", "访港", "来港", "赴港", "过来香港", "嚟香港", "超级签证", "探亲")),
    "careers": (("job", "jobs", "career", "careers", "recruitment", "hiring", "vacancy", "human resources", "hr"),
                ("应聘", "招聘", "求职", "职位", "工作机会", "人事", "人力资源")),
    "marketing": (("marketing", "advertising", "press", "sponsorship"),
                  ("市场推广", "营销", "广告", "赞助", "公关", "市场活动")),
    "legal": (("legal", "lawyer", "contract"), ("法务", "法律", "合同")),
    "billing": (("billing", "bill"), ("缴费", "账单")),
    # Business banking, and what befalls a client (a card lost, a fraud, a death in the family)
    "business_loan": (("business loan", "business lending", "sme lending", "sme loan", "sme financing", "sba loan",
                       "sba loans", "sba 7(a)",
                       "commercial lending", "commercial loan", "working capital", "corporate lending",
                       "corporate loan", "term loan", "overdraft", "revolving credit", "business financing"),
                      ("企业贷款", "中小企贷款", "商业贷款", "经营贷", "中小企融资", "企业融资", "营运资金", "流动资金",
                       "透支", "循环贷款")),
    "trade_finance": (("trade finance", "trade financing", "letter of credit", "letters of credit",
                       "documentary credit", "documentary collection", "import finance", "export finance",
                       "invoice financing", "invoice finance", "factoring", "bank guarantee", "supply chain finance",
                       "trade services"),
                      ("贸易融资", "信用证", "跟单信用证", "押汇", "保理", "保函", "银行担保", "供应链融资", "福费廷",
                       "进出口融资", "贸易服务")),
    "cash_management": (("cash management", "payroll", "liquidity management", "payment collection"),
                        ("现金管理", "资金管理", "代发工资", "收付款")),
    "merchant": (("merchant services", "merchant", "card acquiring", "payment acceptance", "pos"),
                 ("商户服务", "收单", "商户")),
    "card_loss": (("lost card", "stolen card", "card replacement", "lost and stolen", "card security"),
                  ("挂失", "补卡", "遗失卡")),
    "fraud": (("fraud", "fraudulent", "anti fraud", "scam", "chargeback", "transaction disputes", "card disputes"),
              ("欺诈", "反欺诈", "诈骗", "盗刷", "争议交易")),
    "bereavement": (("bereavement", "deceased", "death", "death claim", "estate settlement", "estate administration",
                     "probate"),
                    ("丧亲", "身故", "身故理赔", "遗产承办", "遗产管理")),
    "premium_financing": (("premium financing", "premium finance", "premium loan", "insurance premium loan"),
                          ("保费融资", "保费贷款")),
    "loan_servicing": (("loan administration", "drawdown", "drawdowns", "loan repayment", "disbursement",
                        "loan servicing"),
                       ("放款", "还款", "还贷", "提前还款", "贷款到账", "提取贷款")),
    # The firm itself: the press, events, its accounts on social media, personal data, and clients' causes
    "media": (("press", "journalist", "reporter", "media enquiries", "media enquiry", "media relations", "the media",
               "corporate communications", "public relations", "interview request"),
              ("媒体", "传媒", "记者", "采访", "公关", "新闻稿", "传媒查询", "企业传讯")),
    "events": (("seminar", "seminars", "webinar", "workshop", "client events", "events", "investor day"),
               ("讲座", "研讨会", "分享会", "活动报名", "讲座报名", "投资讲座", "客户活动")),
    "social_media": (("social media", "wechat account", "digital marketing", "instagram",
                      "facebook", "linkedin"),
                     ("公众号", "小红书", "微博", "社交媒体", "视频号", "抖音", "数码营销", "数字营销")),
    "privacy": (("data protection", "personal data", "privacy", "data access request", "data request", "pdpo",
                 "gdpr"),
                ("私隐", "隐私", "个人资料查阅", "查阅资料", "资料查阅", "保障资料", "删除资料", "查阅")),
    "immigration": (("investment immigration", "investment migration", "capital investment entrant", "cies",
                     "residency", "immigration", "immigrate", "investor visa", "investor visas", "investor migrant",
                     "investor migrants", "active investor plus"),
                    ("投资移民", "移民", "资本投资者入境", "入境计划", "居留权", "身份规划")),
    "philanthropy": (("philanthropy", "charity", "charitable", "donation", "donate", "family charity"),
                     ("慈善", "捐款", "捐赠", "慈善基金", "公益", "慈善信托")),
    "art": (("art", "artwork", "art collection", "collectibles", "antiques", "paintings", "fine wine"),
            ("字画", "古董", "艺术品", "收藏品", "藏品", "名画", "古玩", "书画")),
    "islamic": (("shariah", "sharia", "islamic", "takaful", "halal"), ("伊斯兰", "清真")),
    # Places: where a sub-organization or a desk is ("Kevin in Singapore", "香港的陈生"), places.py's
    **PLACE_TOPICS,
}
# The desks' glossary (desk_terms.py): finer topics in the same form; a name the lexicon has stays the lexicon's.
# Its words that read as names in pinyin, the lexicon lacking them, are not read so (chu jing: 除净, or a name).
NOT_ROMANISED = NAMELIKE_ZH - {w for _, chinese in TOPICS.values() for w in chinese} | NOT_IN_PINYIN
TOPICS.update({name: entry for name, entry in DESK_TOPICS.items() if name not in TOPICS})
# What guests describe (situations.py) names a topic as its words do: its Chinese words are the lexicon's (not
# read in pinyin: 周转 may be Zhou Zhuan); its English phrases are read as whole words (reading.py).
SITUATION_ZH = frozenset(w for topic, (_, chinese) in SITUATIONS.items() for w in chinese if w not in TOPICS[topic][1])
for _topic, (_, _chinese) in SITUATIONS.items():
    TOPICS[_topic] = (TOPICS[_topic][0], TOPICS[_topic][1] + tuple(w for w in _chinese if w not in TOPICS[_topic][1]))
# Topics written with a few words between (开个联名户口: opening an account), unless those name a topic of their
# own (开个孖展户口: a margin account is the margin desk's).
PATTERNS_ZH = {"account": r"开(?P<between>[^，。,.!?！？\s]{0,4}?)(?:户口|账户)"}
# In English, only a place between ("open a Hong Kong account"): "open my account" is a login, not an opening.
PATTERNS_EN = {"account": r"\bopen(?:ing)?\s+(?:an?\s+)?(?P<between>(?:[a-z]+\s+){1,2}?)accounts?\b"}
# A narrower topic is also about the broader ones (a claim is about insurance): a desk on the narrower one
# fits a guest who names the broader, and fits one who names the narrower better than a desk on the broader.
BROADER: dict[str, tuple[str, ...]] = {
    "first_home": ("mortgage",), "refinancing": ("mortgage",), "home_equity": ("mortgage",),
    "commercial_property": ("mortgage",), "valuation": ("mortgage",), "housing_scheme": ("mortgage",),
    "complaints": ("service",),  # a services desk (Trust Services) is no complaints desk, customer service may be
    "personal_loan": ("loan",), "lombard": ("loan",),
    "funds": ("investment",), "bonds": ("investment",), "equities": ("investment",), "derivatives": ("investment",),
    "private_equity": ("investment",), "esg": ("investment",), "discretionary": ("investment",),
    "gold": ("investment",),
    "uhnw": ("private_banking",), "private_banking": ("wealth",), "family_office": ("wealth",),
    "life": ("insurance",), "medical": ("insurance",), "critical": ("medical",), "travel": ("insurance",),
    "accident": ("insurance",), "helper": ("insurance",), "islamic": ("insurance",),
    "premium_financing": ("loan",), "loan_servicing": ("loan",), "social_media": ("marketing",),
    "home_insurance": ("insurance",), "claims": ("insurance",),
    "premium": ("insurance",), "policy_service": ("insurance",), "endowment": ("insurance",),
    "ilas": ("insurance",), "benefits": ("insurance",), "annuity": ("retirement",), "mpf": ("retirement",),
    "non_resident": ("account",), "student": ("account",), "corporate_account": ("account", "corporate"),
    "business_loan": ("loan", "corporate"), "trade_finance": ("corporate",), "cash_management": ("corporate",),
    "merchant": ("corporate",), "card_loss": ("cards",),
    "remittance": ("payments",), "rmb": ("fx",), "aml": ("compliance",), "estate_planning": ("trust",),
    **HELD_IN,
    **DESK_BROADER,
}
# Lines of cover and kinds of loan: a desk on one is not for a guest who names another (a claim for a car is
# not for medical claims, a loan for a car not for personal loans).
LINES = frozenset({"life", "medical", "critical", "travel", "accident", "home_insurance", "helper", "auto",
                   "mortgage", "personal_loan", "business_loan", "lombard", "premium_financing"}) | DESK_LINES
# The topics that are where a desk is, and the words of their English names.
PLACES = frozenset(PLACE_TOPICS)
PLACE_WORDS = frozenset(w for place in PLACES for k in TOPICS[place][0] for w in k.split())
# Places too wide to tell desks apart alone: most desks of a Hong Kong / mainland bank serve them.
REGIONS = frozenset({"hong_kong", "mainland", "gba"})

# Roles: whom in a desk, not what it does ("保险部的主管" is the head of insurance, not a topic).
ROLES: Table = {
    # (a unit's manager heads it: a centre's, a branch's, a country's; not a relationship or a product manager)
    "head": (("head", "chief", "director", "boss", "leader", "in charge", "centre manager", "center manager",
              "branch manager", "country manager", "general manager", "managing director", "regional manager",
              "department manager", "division manager"),
             ("主管", "负责人", "总监", "主任", "部长", "总经理", "老大", "领导", "老细", "话事人", "头头", "首席",
              "总裁", "行长", "分行经理", "支行经理", "中心经理", "分行的经理", "分行嘅经理", "中心的经理",
              "中心嘅经理")),
    "ceo": (("ceo", "chief executive", "group chief executive"),
            ("行政总裁", "首席执行官", "总裁", "执行总裁", "总行长",
             # the firm's boss, asked for with no unit (你们老板, 最高负责人): who heads it all
             "你们老板", "你哋老板", "你哋老细", "你们的老板", "贵公司老板", "大老板", "最高负责人")),
    "cio": (("cio", "chief investment"), ("首席投资官", "投资总监", "首席投资总监")),
    "coo": (("coo", "chief operating", "chief operations"),
            ("首席营运官", "首席运营官", "营运总裁")),
    "cfo": (("cfo", "chief financial", "finance director"), ("首席财务官", "财务总监")),
    "cro": (("cro", "chief risk"), ("首席风险官", "风险总监")),
    "cto": (("cto", "chief technology", "chief technical"), ("首席技术官", "技术总监", "首席科技官")),
    "chair": (("chairman", "chairwoman", "chairperson"), ("主席", "董事长")),
    "assistant": (("assistant", "secretary", "pa", "personal assistant"), ("助理", "秘书", "助手")),
}
# Titles one person holds: asked alone ("CEO please", 行政总裁), they name who holds them.
TITLES_HELD = frozenset({"ceo", "cio", "coo", "cfo", "cro", "cto", "chair"})
# Words that name a topic or a role only as written, not by their stem: wills, not the "will" of "I will be moving";
# a director, not "direct billing"; securities, not a card's or an app's security; bullion, not a bull contract;
# structured products, not a family's wealth structuring.
AS_WRITTEN = frozenset({"wills", "director", "securities", "bullion", "structured"})
# Expressions that hold a topic's characters and mean something else (保险起见, 保险一点: to be safe), festive
# greetings (身体健康 wishes health, it asks for no medical cover) among them.
IDIOMS_ZH = ("保险起见", "保险些", "保险一点", "保险一些", "比较保险", "更保险", "最保险", "屁股", "一股",
             # how a thing is done, more or less within the rules (怎么操作比较合规): no compliance desk's question
             "比较合规", "更合规", "最合规", "合规一点", "合规一些", "合规些",
             "车站", "堵车", "开车", "卡住", "卡顿", "定期联系",
             "不定期", "很意外", "意外的是", "出意外", "兑换码", "打卡", "卡拉", "卡通", "卡车", "关卡",
             "身体健康", "恭喜发财", "财源广进", "招财进宝", "万事如意", "心想事成", "生意兴隆", "出入平安",
             "大吉大利", "年年有余", "步步高升", "学业进步", "金玉满堂", "龙马精神", "新年快乐", "新春快乐",
             "阖家平安", "一本万利", "黄金周", "股东大会", "车厘子")
# The same in English: "transfer me to …" asks for a person, not a payment; "who covers" is not insurance;
# a wish of health and wealth asks for neither.
IDIOMS_EN = ("transfer me", "transfer us", "transfer my call", "who covers", "covering for", "cover for",
             "share your", "share his", "share her", "share the contact", "health and wealth", "wealth and health",
             "good health", "happy new year", "happy chinese new year", "prosperous", "season s greetings",
             "in good health", "gold and jade", "jade and gold", "good fortune", "golden year", "golden week",
             "fortune and prosperity", "wealth and prosperity", "prosperity and wealth", "wealth and happiness",
             "happy lunar new year", "lunar new year", "money comes", "rolling in")
# Words that hold a topic's word and are not about it: a tax loan (税贷) is a loan, not tax advice; a safe
# deposit box is no deposit, nor a savings plan; an entrepreneur (企业家) is not a corporate account;
# sharia is no share; a unit trust is a fund, no trust, nor is a pension's trustee; a contract note confirms a
# trade, no bond; parking or a ride (停车, 坐车) is no car's need; a housing provident fund (住房公积金) or
# Singapore's central one is no MPF; the UK's National Insurance is a tax, its non-resident landlord scheme no
# non-resident's account; a career break is no job; what is tax-deductible or tax-free (contributions, savings) is
# that thing, no tax matter.
NOT_ABOUT: dict[str, tuple[str, ...]] = {
    "tax": ("税贷", "交税贷款", "tax loan", "tax deductible", "tax free", "tax exempt", "tax efficient"),
    "wealth": ("财富传承",), "head": ("负责人寿", "负责人民币"),
    "insurance": ("insurance authority", "保险业监管局", "保监局", "保监会",  # a regulator, no product
                  "保险箱", "保险柜", "national insurance", "macro and policy", "monetary policy", "policy research",
                  "government policy", "public policy", "policy analysis", "policy and regulation"),
    "trust": ("unit trust", "单位信托", "mpf trustee", "积金受托人", "real estate"),
    "auto": ("停车", "泊车", "车位", "塞车", "坐车", "搭车", "车站", "车程", "打车"),
    "deposits": ("safe deposit", "safety deposit", "savings plan", "savings insurance", "定期供款", "定期定额",
                 "定期投资"),
    "corporate": ("企业家", "企业主", "corporate action"), "ceo": ("营运总裁",),
    "payments": ("wealth transfer",),  # a family's wealth handed down, no payment
    "non_resident": ("non resident landlord", "nonresident landlord"),
    # a job lost is hardship, a first employee hired an employer's cover: no career with the firm
    "careers": ("career break", "career breaks", "lost my job", "hiring our first", "were hiring our"),
    "equities": ("private equity", "sharia", "home equity", "negative equity", "私募股权", "股权投资基金"),
    "islamic": ("share",),
    "funds": ("教育基金", "source of funds", "proof of funds", "慈善基金", "基金会"),
    "premium": ("premium financing", "premium finance", "premium loan", "保费融资", "保费贷款"),
    "retirement": ("公积金贷款",), "mpf": ("公积金", "housing provident fund", "central provident fund"),
    # (a debt owed is no bond: 债务, 卡债, 负债)
    "bonds": ("结构性票据", "structured note", "存款证明", "contract note", "债务", "卡债", "负债", "欠债", "还债",
    "追债",
              "债主"),
    "fx": ("美元保单", "外币保单", "美元保险", "usd policy", "us dollar policy"),  # a policy in dollars: no exchange
    # renminbi changed into another currency, or another into renminbi: an exchange, no RMB service
    "rmb": ("人民币换", "人民币兑", "换成人民币", "换人民币", "兑人民币", "兑换人民币", "转成人民币", "to rmb",
            "into rmb"),
    "contracts": ("contract note",), "legal": ("contract note",),  # a trade's confirmation, no contract to review
    "gold": ("现金价值", "现金价", "基金价"),  # 金价 (the gold price) inside a policy's cash value, a fund's price
    # what is done with one's details, or which are kept: privacy
    "details_change": ("使用我的个人资料", "用我的个人资料", "删除我的客户资料", "哪些个人资料"),
    "medical": ("hospitality", "media"),
    "immigration": ("tax residency", "non resident landlord", "nonresident landlord"),
    # WeChat's own login is WeChat's to reset, not the bank's app; a surgery one had is no operations unit
    "digital": ("wechat password", "wechat login", "wechat account", "微信密码"),
    "operations": ("my operation", "the operation", "an operation", "operation went", "手术"),
    # calling on the firm itself, not a visitor's cover
    "visitor": ("visit your", "visit you", "visiting your", "visiting you", "visit the office", "visit the branch",
                "visit a branch", "visit in person"),
    **PLACE_NOT_ABOUT,
}
for _name, _words in DESK_NOT_ABOUT.items():
    NOT_ABOUT[_name] = NOT_ABOUT.get(_name, ()) + tuple(w for w in _words if w not in NOT_ABOUT.get(_name, ()))
# Needs written in Cantonese romanisation (Hong Kong's own spellings and Jyutping), joined, as the Chinese
# words they spell (pinyin is read from the topic table itself).
CANTONESE_NEEDS = {
    "bouhim": "保险", "bohim": "保险", "boudaan": "保单", "bodan": "保单", "geigam": "基金", "gaygum": "基金",
    "ngoiwui": "外汇", "oiwui": "外汇", "keungjikgam": "强积金", "koengzikgam": "强积金", "jikgam": "积金",
    "onkit": "按揭", "ngonkit": "按揭", "ongit": "按揭", "gunglau": "供楼", "seuntok": "信托", "seontok": "信托",
    "jaaigyun": "债券", "zaaigyun": "债券", "chaikuen": "债券", "gupiu": "股票", "gwupiu": "股票", "chaaugu": "炒股",
    "daaifun": "贷款", "taaifun": "贷款", "seunyungkaat": "信用卡", "seonjungkaat": "信用卡", "tausou": "投诉",
    "seuimou": "税务", "boseui": "报税", "hoiwuhau": "开户口", "waichaan": "遗产",
    "jyugun": "主管", "chyugun": "主管", "zyugun": "主管", "lousai": "老细", "fuzaakjan": "负责人",
    "fujaakyan": "负责人", "zunggaam": "总监", "chunggam": "总监",
    "yansau": "人寿", "jansau": "人寿", "yiliu": "医疗", "jiliu": "医疗", "leingon": "离岸", "teuiyau": "退休",
    "zyunon": "转按", "chuenon": "转按", "jyunon": "转按", "gaaon": "加按",
    "gugaa": "估价", "leipui": "理赔", "soksoeng": "索偿", "sokseung": "索偿",
    "boufai": "保费", "ngaizat": "危疾", "ngaijat": "危疾", "zungzat": "重疾", "chungjat": "重疾", "dingkei": "定期",
    "gaapmaan": "夹万", "gongzi": "港纸", "kongchi": "港纸", "jyujoek": "预约", "yuyeuk": "预约",
    "hangzingzungcoi": "行政总裁", "hangchingchungchoi": "行政总裁", "sauzik": "首席", "saujik": "首席",
    "sauzi": "首置", "sauchi": "首置", "kwaaging": "跨境", "kwaging": "跨境", "jyutgitdaan": "月结单",
    "yuetkitdaan": "月结单", "goideizi": "改地址", "samzan": "深圳", "sumchun": "深圳", "gwongzau": "广州",
    "tauzi": "投资", "tautsz": "投资", "hoiwu": "开户", "lauon": "楼按", "keungjikkam": "强积金", "jikkam": "积金",
    "sunyungkat": "信用卡", "seunyungkat": "信用卡", "waiyung": "外佣", "ngoiyung": "外佣", "leuiyau": "旅游",
    "luiyau": "旅游", **DESK_CANTONESE,
}
