"""The desks that advise rather than sell, finer than the lexicon's topics (wealth, trusts, tax, immigration,
education): wealth planning, trustees, family governance, talent schemes and visas, study abroad, tax filing and
residency, stamp duty."""
from __future__ import annotations

from core.person_match.situations import Table

TOPICS: Table = {
    # Wealth and what is handed on
    "wealth_planning": (("wealth planning", "financial planning", "financial planner", "financial plan",
                         "wealth planner", "financial adviser", "financial advisor"),
                        ("财务规划", "理财规划", "财富规划", "财务策划", "理财策划", "财务计划", "理财计划",
                         "财务顾问", "理财顾问")),
    "trustee_services": (("trustee services", "trust administration", "trustee company", "professional trustee",
                          "act as trustee", "fiduciary",
                          "fiduciary services", "corporate trustee", "private trust company", "ptc",
                          "trust services"),
                         ("受托人", "信托行政", "受托服务", "私人信托公司", "信托管理", "信托服务")),
    "family_governance": (("family governance", "family constitution", "family council", "next generation",
                           "family business succession", "family charter"),
                          ("家族治理", "家族宪章", "家族委员会", "接班", "家族企业传承", "二代接班", "家族传承",
                           "家族企业")),
    # A family's own arrangements, finer than governance and estate planning
    "family_constitution": (("family constitution", "family constitutions", "family council", "family councils",
                             "family charter"),
                            ("家族宪章", "家族委员会", "家规", "家族章程", "家族宪法")),
    "mediation": (("mediation", "mediator", "family dispute", "family disputes", "dispute resolution"),
                  ("调解", "调停", "家族纠纷", "家族纷争", "争产", "闹翻")),
    "wills": (("wills", "will writing", "write a will", "make a will", "writing a will", "last will", "testament",
               "need a will", "a will for", "do a will", "draw up a will", "update my will", "my will", "left a will"),
              ("遗嘱", "立遗嘱", "写遗嘱", "订立遗嘱", "平安纸", "写平安纸")),
    "wealth_reporting": (("consolidated report", "consolidated reports", "consolidated reporting",
                          "consolidated wealth report", "consolidated wealth reports", "wealth reporting",
                          "family office reporting"),
                         ("资产汇总", "汇总报告", "综合报告", "资产报告", "合并报告", "资产总览")),
    "summer_camps": (("summer school", "summer schools", "summer camp", "summer camps"),
                     ("夏令营", "夏校", "暑期课程", "暑期班", "游学团")),
    "translation": (("translation", "translations", "translate", "certified translation", "notarised translation",
                     "notarized translation"),
                    ("翻译", "翻译公证", "公证翻译")),
    "concierge": (("concierge", "lifestyle services", "lifestyle service", "lifestyle management"),
                  ("礼宾服务", "礼宾", "管家服务", "生活品味服务", "尊享服务")),
    # Moving to a place, and studying there
    "talent_schemes": (("qmas", "quality migrant", "ttps", "top talent", "top talent pass", "asmtp",
                        "admission scheme for mainland talents", "general employment policy", "iang",
                        "talent visa", "talent scheme", "talent admission", "employment pass",
                        "global investor programme", "tech pass", "talent pass"),
                       ("优才", "优才计划", "高才通", "高端人才通行证", "专才", "输入内地人才", "专才计划",
                        "非本地毕业生留港", "人才签证", "人才计划", "人才引进", "就业准证", "科技准证", "人才通行证",
                        "香港人才", "人才入境")),
    "visas": (("visa application", "visa applications", "work visa", "student visa", "dependant visa",
               "dependent visa", "visitor visa", "visa renewal", "visa extension", "residence permit", "golden visa",
               "dependant pass", "dependent pass", "visa services", "long term visit pass"),
              ("签证", "受养人签证", "受养人", "居留签注", "工作签注", "工签", "工作签证", "学生签证", "签证延期",
               "居留许可", "家属签证", "陪读", "陪读签证", "受养人准证", "绿卡")),  # (a green card: the US's own)
    # Settling for good, and the visas that lead there
    "permanent_residency": (("permanent residency", "permanent resident", "right of abode",
                             "indefinite leave to remain", "ilr", "settled status"),
                            ("永居", "永久居民", "永久居留", "拎永居", "转永居", "居留权", "永久居留权")),
    "bno": (("bn(o) visa", "bno visa", "bno", "british national overseas"), ("bno", "英国国民海外")),
    "skilled_worker": (("skilled worker", "tier 2 visa", "work permit", "skilled visa", "skilled visas",
                        "skilled migration"), ("技术工人签证", "技术工签", "技术移民")),
    "study_abroad": (("study abroad", "overseas study", "overseas studies", "overseas education",
                      "university application", "university applications", "university admission",
                      "university admissions", "boarding school", "education consultancy", "education consultant",
                      "ucas", "school application", "school applications", "college application",
                      "college admissions"),
                     ("留学申请", "升学", "升学顾问", "海外升学", "出国留学", "申请大学", "大学申请", "寄宿学校",
                      "英国寄宿", "留学顾问", "海外读书", "出国读书", "入学申请", "择校", "读大学", "海外大学",
                      "留学中介", "去英国读书", "去美国读书", "去澳洲读书", "去加拿大读书", "出国读大学")),
    "school_places": (("school places", "school place", "international school", "international schools",
                       "debenture", "school debenture", "nomination rights", "school admission",
                       "school admissions", "school placement"),
                      ("国际学校", "插班", "校债", "学位申请", "入学面试", "幼稚园", "小学入学", "中学入学", "私立学校",
                       "直资学校", "学额")),
    "guardianship": (("guardianship", "guardian services", "guardian service", "guardians for", "a guardian for",
                      "guardian for my"),
                     ("监护服务", "寄宿家庭", "海外监护", "学生监护", "监护人服务", "监护人")),
    # Tax, by what is asked
    "tax_filing": (("tax return", "tax returns", "tax filing", "file my taxes", "file my tax",
                    "tax declaration", "salaries tax", "individual income tax", "iit", "profits tax",
                    "tax computation", "tax refund"),
                   ("报税表", "个税", "个人所得税", "个人所得税申报", "汇算清缴", "年度汇算", "退税", "薪俸税",
                    "利得税", "填税表", "交税单", "个税申报", "所得税", "税务申报", "报税期限")),
    "tax_residency": (("tax residency", "tax residence", "tax resident", "crs", "fatca", "w 8ben", "w8ben",
                       "certificate of resident status", "self certification", "tax residency certificate",
                       "tin number",
                       "tax identification number"),
                      ("税务居民", "税务居民身份", "税务居民证明", "自我证明", "税务编号", "纳税人识别号",
                       "美国税务", "美国人身份", "税务居民证", "纳税人身份", "美籍人士")),
    "tax_planning": (("tax planning", "tax efficient", "tax efficiency", "tax structuring", "tax advisory",
                      "tax adviser", "tax advisor", "cross border tax", "international tax", "double taxation"),
                     ("税务规划", "税务筹划", "节税", "避税", "合理节税", "税务安排", "跨境税务", "双重征税",
                      "税务咨询", "税务顾问", "税务优化")),
    "stamp_duty": (("stamp duty", "buyer s stamp duty", "buyers stamp duty", "bsd", "ssd", "dsd", "property tax",
                    "special stamp duty", "ad valorem stamp duty"),
                   ("印花税", "买家印花税", "双倍印花税", "额外印花税", "物业税", "差饷", "地租", "从价印花税",
                    "契税", "房产税", "楼宇印花税")),
}

BROADER: dict[str, tuple[str, ...]] = {
    "wealth_planning": ("wealth",), "trustee_services": ("trust",), "family_governance": ("family_office",),
    "concierge": ("private_banking",), "talent_schemes": ("immigration",), "visas": ("immigration",),
    "permanent_residency": ("visas",), "bno": ("visas",), "skilled_worker": ("visas",),
    "family_constitution": ("family_governance",), "mediation": ("family_governance",), "wills": ("estate_planning",),
    "wealth_reporting": ("family_office",), "summer_camps": ("education",),
    "study_abroad": ("education",), "school_places": ("education",), "guardianship": ("education",),
    "tax_filing": ("tax",), "tax_residency": ("tax",), "tax_planning": ("tax",), "stamp_duty": ("tax",),
}
LINES: frozenset[str] = frozenset()
NOT_ABOUT: dict[str, tuple[str, ...]] = {
    # 接班 inside 接班人 is still succession; 接班 for a shift (接班时间) is work, not a family business
    "family_governance": ("接班时间", "交接班"),
    # an upgrade (升学 is study) inside 提升学 or 上升学 is none
    "study_abroad": ("提升学", "上升学"),
    "visas": ("签证件",),
    "trustee_services": ("mpf trustee", "积金受托人"),  # a pension scheme's trustee, no trust's
    # 个税 inside 一个税务问题 (a tax question) is no income tax as such
    "tax_filing": ("个税务",),
}
