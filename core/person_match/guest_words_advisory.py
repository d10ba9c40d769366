"""What guests write for a need of advice (wealth planning, trusts and what is handed on, moving abroad and visas,
schools and study abroad, tax), in their own words rather than the desk's (issue 20): the plan, the event, the
worry ("my son starts boarding school in England", 想搬去加拿大, "how do I leave the flat to my kids"). Written
from the field, not from any evaluation set; merged into situations.SITUATIONS, so read as a situation is
(English as whole words, Chinese anywhere)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.person_match.situations import Table

WORDS: Table = {
    # Wealth and what is handed on
    "wealth_planning": (("plan my finances", "plan our finances", "sort out my finances", "am i saving enough",
                         "how much do i need to save", "budget for my family"),
                        ("规划下财务", "规划一下财务", "储几多钱先够", "整体财务规划", "家庭财务规划", "理财安排")),
    "trust": (("keep the money in the family", "protect the money from", "my kids are too young to", "spendthrift",
               "set up something for my grandchildren"),
              ("防止败家", "怕仔女乱使", "怕子女乱花", "隔代传承", "留俾孙")),
    "estate_planning": (("who gets my flat", "who gets the house", "leave my flat to", "leave the flat to",
                         "leave everything to", "split my assets", "split between my children", "when i am gone",
                         "when im gone"),
                        ("百年归老", "百年之后", "分俾仔女", "分给子女", "点样分身家", "财产分配", "身后安排")),
    "trustee_services": (("act as trustee for", "independent trustee", "someone to hold the assets",
                          "hold the assets for my children", "trust deed", "settlor"),
                         ("信托契约", "财产代管", "资产代管", "受托公司", "信托受托")),
    "family_governance": (("my children take over", "hand over the business", "handing over the business",
                           "family disputes", "family members fighting", "second generation",
                           "next generation to run", "take over the family business",
                           "takes over the family business", "taking over the family business",
                           "take over our family business", "take over the business"),
                          ("仔女接手", "子女接手", "家族纷争", "兄弟争产", "争家产", "交俾下一代", "交给下一代",
                           "公司交给", "生意交给", "交俾仔女", "交给子女", "交给儿子", "交给女儿")),
    "family_office": (("manage our familys wealth", "single family office", "multi family office",
                       "consolidate our family assets", "all our family assets"),
                      ("家族资产", "家族财富管理", "打理家族", "家族理财", "家族资产管理")),
    "concierge": (("book a restaurant", "restaurant reservation", "concert tickets", "book a hotel", "golf booking",
                   "hard to get tickets"),
                  ("订酒店", "演唱会门票", "机场接送", "订球场", "订演唱会飞", "订高尔夫")),
    "philanthropy": (("set up a foundation", "support a cause", "give to charity", "make a donation",
                      "charitable giving", "leave money to charity"),
                     ("捐钱", "做善事", "回馈社会", "设立奖学金", "捐俾")),
    "art": (("buy a painting", "christies", "sothebys", "value my paintings", "value my watches"),
            ("拍卖行", "买画", "红酒收藏", "瓷器", "名画收藏", "艺术收藏", "一幅画", "买幅画")),
    # Moving to a place, and studying there
    "immigration": (("move to canada", "moving to canada", "move to australia", "moving to australia",
                     "move to the uk", "moving to the uk", "leave hong kong for", "settle abroad", "get a passport",
                     "second passport", "citizenship"),
                    ("移民去", "出国定居", "拿身份", "攞身份", "拎身份", "入籍", "护照计划", "第二本护照", "海外身份")),
    "talent_schemes": (("come to hong kong to work", "talent visa", "graduated from a top",
                        "come to singapore to work", "apply to live in hong kong"),
                       ("来香港发展", "高才计划")),
    "visas": (("visa expires", "visa expiring", "visa expired", "extend my stay", "bring my family", "my wifes visa",
               "apply for a visa", "pr application"),
              ("延签", "办签证", "签证到期", "申请永居", "带家人过来", "入境处", "学签")),
    "education": (("save for my childs education", "saving for my childs education", "education savings",
                   "my kids future", "university costs", "school fees for my", "resp"),  # Canada's plan
                  ("教育储蓄", "读书钱", "子女学费", "小朋友学费", "仔女学费")),
    "study_abroad": (("going to study in", "apply to universities", "apply for university", "study in the uk",
                      "study in australia", "study in canada", "study in the us", "study overseas", "masters abroad",
                      "gap year"),
                     ("留学", "去外国读书", "读寄宿", "读本科")),
    "student": (("study in hong kong", "studying in hong kong", "come to hong kong to study", "student card"),
                ("来香港读书", "在港读书", "学生证", "学生开户", "读书开户")),
    "school_places": (("find a school", "finding a school", "school for my son", "school for my daughter",
                       "school interview", "change school"),
                      ("揾学校", "找学校", "揾学校", "转校", "派位", "叩门", "读边间学校", "入学名额")),
    "guardianship": (("someone to look after my child", "look after my son while", "look after my daughter while",
                      "host family", "homestay", "guardian in the uk"),
                     ("照顾我个仔", "照顾我个女", "住家庭", "海外照顾")),
    # Tax, by what is asked
    "tax": (("how much tax", "pay less tax", "owe tax", "taxman", "tax question", "tax questions"),
            ("税务局", "交几多税", "交多少税", "税好重", "税太重")),
    "tax_filing": (("file my return", "fill in my return", "fill in the tax form", "tax deadline", "tax assessment",
                    "provisional tax"),
                   ("填表报税", "报税截止", "报税期", "暂缴税", "税单到", "税务表格", "交税期限")),
    "tax_residency": (("tax resident", "where i am tax", "which country do i pay tax", "days in hong kong",
                       "183 days", "tin number", "tax number", "us person"),
                      ("税务居民", "纳税人识别号", "税号", "美国人身份", "183日", "183天", "税务身份")),
    "tax_planning": (("reduce my tax", "lower my tax", "save on tax", "save tax", "minimise tax", "minimize tax",
                      "tax efficient", "non dom", "nondom", "remittance basis"),
                     ("少交税", "悭税", "节省税", "点样少交税", "税务上点安排", "合法节税")),
    "stamp_duty": (("duty on my flat", "duty on the property", "buying a second flat", "second property",
                    "rates and government rent", "rates demand"),
                   ("第二层楼", "第二套房", "楼宇转名", "买楼印花", "印花几多", "第二个物业")),
}
