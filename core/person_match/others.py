"""Whom a guest names and does not want: the one they exclude ("not X, the other one", "不是X"), who
sent them ("X referred me", "X介绍我来的"), whose assistant or colleague they want ("X's assistant",
"X的助理"). Each such part of the text is ranked on its own: whom it singles out by name is left out;
a part about someone else is then taken out of the text too (their name says nothing of whom the
guest wants), an excluded one stays ("not Wei Wang in retail, the other Wei Wang" names a Wei Wang).
A part that names a desk (做外汇的同事) is what the guest wants: it stays."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from core.person_match.lexicon import ROLES, TITLES_HELD
from core.person_match.reading import plain, roles_in

_STOP = r"[,.;:!?()\[\]，。；：！？（）、]"
_ROLES_OF = (r"(?:assistant|secretary|colleague|teammate|team|boss|manager|deputy|pa|replacement|supervisor|office|"
             r"analyst|associate|counterpart|officer)")
_REMARK = r"\([^()]{1,20}\)"
# Whose someone the guest is, or whose adviser they name: that person is someone else.
_RELATIONS = (r"friend|client|customer|relative|cousin|neighbou?r|wife|husband|spouse|son|daughter|mother|father|mum|"
              r"mom|dad|parents?|brother|sister|uncle|aunt|classmate|family|company|boss|grandmother|grandfather|"
              r"student|pupil|trainee|nephew|niece")
_RELATIONS_ZH = ("老公|老婆|太太|先生|丈夫|妻子|朋友|同事|妈妈|爸爸|老豆|阿妈|阿爸|亲戚|儿子|女儿|个仔|个女|"
                 "屋企人|家人|父母|公司|老板|客户|邻居|学生|学员|徒弟|同学|表哥|表姐|表弟|表妹|堂哥|堂姐|堂弟|堂妹|"
                 "侄子|侄女|外甥")
# Whose student or relative (not whose client: a client wants their adviser).
_KIN = r"student|pupil|trainee|cousin|nephew|niece|classmate|relative|neighbou?r|son|daughter|brother|sister"
# "my client manager", 我的客户经理: an adviser of the guest's, not someone of theirs.
_NOT_ADVISER = r"(?!\s*(?:manager|rm\b|relationship|advis|officer|banker|agent|specialist|service|经理|顾问|专员|服务))"
_ADVISERS = r"(?:rm|relationship manager|banker|advis[eo]r|agent|account manager|manager|contact|planner)"
_TITLE = r"(?:(?:mr|mrs|ms|miss|dr|madam)\.?\s+)?"  # "my boss Mr Lee Ka Shing": the name after the title
_HELD_TITLES = "|".join(sorted({w for r in TITLES_HELD for words in ROLES[r] for w in words}, key=len, reverse=True))
_SERVED = r"helped|served|looked after|advised|assisted|handled"
# A question for whoever does something ("who does the bookings", "who can I speak to about …").
_ASKS_WHO = (r"who\s+(?:(?:can|could|should|would|will)\s+(?:i\s+(?:speak|talk)\s+to|help|handle|do|deal)|does|do|"
             r"handles|deals with|takes care of|looks after|is in charge of|is responsible for|manages|covers)\b")
_TOLD = r"i|we|me|us|to|that|you|your|someone|somebody|the|a|an|whoever"
_WOULD = r"would|will|can|could|should|might|is|does|handles"
_BOSSES = {"boss", "manager", "supervisor", "上司", "老板", "领导", "主管"}
# A name's words start where a Latin word does ((?<![a-z])): a pattern free to start inside a word would try
# every letter of a long run, in quadratic time.
# Whom a part names, before what it says of them: up to three or four words, a possessive inside ("Sunny Wong's
# branch sent me").
_WHO_2 = r"(?<![a-z])(?P<who>(?:[a-z]+(?:'s)?\s+){0,2}[a-z]+)"
_WHO_3 = r"(?<![a-z])(?P<who>(?:[a-z]+(?:'s)?\s+){0,3}[a-z]+)"
_EXCLUDED = (
    # The name after a negation, up to a stop or a turn ("but", "the other").
    re.compile(rf"\b(?:not|isn't|isnt|wasn't|except|other than|rather than|instead of|apart from|"
               rf"(?:don't|dont|do not) want|(?:anyone|anybody|someone) but)\s+"
               rf"(?P<who>[^,.;:!?()，。；：！？（）]{{2,40}}?)(?=\s*(?:{_STOP}|[-–—]\s|\bbut\b|\bthe other\b|$))"),
    # Not 是不是 (is it), 要不要, 系唔系: questions.
    # Up to a stop, or a space before the turn (不找黄总 找黄磊).
    re.compile(r"(?<![是要找系])(?:不是|不要|不找|别找|不用找|并非|而非|除了|除咗|唔系|唔是|唔要|唔揾|唔好|唔使揾)(?P<who>[^,.;:!?()，。；：！？（）、]{1,32}?)"
               r"(?=" + _STOP + r"|而是|(?<=[\u4e00-\u9fff])\s+[\u4e00-\u9fff]|$)"),
    # The name before it, the negation closing the clause (马骏不是，我找的是马军; not 他不是, 是不是).
    re.compile(r"(?:^|(?<=" + _STOP + r"))\s*(?P<who>(?![我你他她佢这那])[\u4e00-\u9fff]{2,4}?)(?:都)?"
               r"(?:不是|唔系|唔是)(?=\s*(?:" + _STOP + r"|$))"),
    # The name before one ("Amy Ho isn't the one, I need …").
    re.compile(_WHO_2 + r"\s+(?:isn't|isnt|is not|wasn't|was not)\s+"
               r"(?:the one|the right|it)\b"),
    re.compile(_WHO_2 + r"\s*[?,.!]*\s+(?:no|nope)\b\s*[,.!]*\s*"
               r"(?:the other|another|someone)"),
)
_SOMEONE_ELSE = (
    re.compile(_WHO_3 + r"\s+(?:referred|recommended|introduced)\s+"
               r"(?:me|us|your|you|i|that i|we|that we)\b"),
    # Away: the guest wants whoever covers ("my RM Amy Ho is on leave, who covers FX?").
    re.compile(_WHO_3 + r"\s+(?:(?:is|was|has been|s)\s+"
               r"(?:on leave|away|on holiday|out of (?:the )?office|on vacation|no longer)|no longer|has moved|"
               r"moved to|has retired|retired|"
               r"resigned|has left|left the (?:bank|company|firm))\b"),
    # Not 在不在: is X in.
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:放假|放咗假|放紧假|休假|请假|离职|辞职|走咗|唔得闲|不得闲|没空"
               r"|不在的话|不在公司|不在办公室)"),
    # Whom the guest dealt with before ("I spoke to Amy Ho last week but now …", 之前同X倾过).
    re.compile(r"\b(?:spoke|talked|dealt|met|chatted|worked|used to (?:deal|work|bank|talk|speak))\s+(?:to|with)\s+"
               r"(?P<who>(?:[a-z]+\s+){0,2}?[a-z]+)"
               r"(?=\s+(?:before|last|earlier|previously|yesterday|already|but|and|about|at|in|on|during)\b|\s*"
               + _STOP + r"|$)"),
    re.compile(r"(?:之前|以前|上次|早前|琴日|昨天|上个月|上星期|上周)(?:同|跟|和|找过|揾过|联系过)?"
               r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:倾|谈|聊|讲|联系|见)"),
    # Whose friend, client or relative the guest is ("Peter Ho's friend here", "a client of Peter Ho"): someone else.
    re.compile(rf"{_WHO_2}'s\s+(?:{_RELATIONS})\b"),
    re.compile(rf"\b(?:{_RELATIONS})\s+of\s+(?P<who>(?:[a-z]+\s*){{1,3}}?)(?='s|\s*(?:{_STOP}|\b(?:and|but|i|who)\b|$))"),
    # Someone else's adviser ("my husband's RM is X, but I want my own", 我老公的客户经理是X).
    re.compile(rf"\b(?:my|our)\s+(?:{_RELATIONS})'s\s+{_ADVISERS}\s*(?:is|was|,|:|-)?\s*"
               rf"(?P<who>(?:[a-z]+\s*){{1,3}}?)(?=\s*(?:{_STOP}|\bbut\b|\band\b|$))"),
    re.compile(rf"我的?(?:{_RELATIONS_ZH})(?:的|嘅)(?:客户经理|理财经理|经理|顾问|经纪|代理|专员|rm)(?:系|是|叫|就是)?"
               r"(?P<who>[\u4e00-\u9fffa-z ]{2,12}?)(?=" + _STOP + r"|$)"),
    # The guest's own people (我老公系X, 我老公X在…, X是我朋友, "my husband X", "X is my friend"): not whom they want.
    re.compile(rf"我的?(?:{_RELATIONS_ZH}){_NOT_ADVISER}(?:系|是|叫)(?!我)(?P<who>[\u4e00-\u9fffa-z ]{{2,12}}?)"
               rf"(?={_STOP}|$)"),
    re.compile(rf"我的?(?:{_RELATIONS_ZH}){_NOT_ADVISER}(?P<who>[\u4e00-\u9fff]{{2,3}}?)"
               rf"(?=在|有|说|话|讲|叫|让|想|要|的|嘅|{_STOP}|$)"),
    re.compile(rf"(?P<who>[\u4e00-\u9fffa-z ]{{2,8}}?)(?:是|系)我(?:的|嘅)?(?:{_RELATIONS_ZH}){_NOT_ADVISER}"),
    # Whose client or friend the guest's people are (我朋友系X嘅客; not 我是X的客户): X is someone else's adviser.
    re.compile(r"(?<!我)(?:是|系)(?P<who>[\u4e00-\u9fffa-z ]{2,12}?)(?:的|嘅)(?:客|客户|朋友|亲戚|邻居)(?![户经])"),
    re.compile(rf"\bmy\s+(?:{_RELATIONS}){_NOT_ADVISER}\s*,?\s+{_TITLE}(?P<who>(?:[a-z]+\s*){{1,3}}?)(?=\s*(?:{_STOP}|\b(?:is|was|has|had|and|"
               r"banks|said|told|asked|who|recommended|referred|gave|wants|would)\b|$))"),
    # Whom the guest's people work with ("my cousin works with Bill Lam; I need …").
    re.compile(rf"\b(?:my|our)\s+(?:{_RELATIONS})\s+(?:works?|worked|is working)\s+(?:with|for|under)\s+{_TITLE}"
               rf"(?P<who>(?:[a-z]+\s*){{1,3}}?)(?=\s*(?:{_STOP}|\b(?:and|but|i|who|at|in)\b|$))"),
    re.compile(rf"{_WHO_2}\s+(?:is|was)\s+(?:my|our|a|an)\s+(?:family\s+)?"
               rf"(?:{_RELATIONS})\b{_NOT_ADVISER}"),
    # On someone's behalf (帮X问, "on behalf of X"): the guest asks for them.
    re.compile(rf"\bon behalf of\s+(?:(?:my|our)\s+(?:{_RELATIONS})\s*,?\s+)?{_TITLE}"
               rf"(?P<who>(?:[a-z]+\s*){{1,3}}?)(?=\s*(?:{_STOP}|\b(?:he|she|they|who|and|i)\b|$))"),
    re.compile(r"(?:帮|替|代)(?![我你])(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:问|咨询|打听|查询)"),
    re.compile(r"\b(?:referred|recommended|introduced|sent)\s+(?:to you\s+|here\s+)?by\s+"
               r"(?P<who>(?:[a-z]+\s*){1,3}?)(?=\s*(?:" + _STOP + r"|\b(?:and|i|for|about|to|at|from|of|in|who)\b|$))"),
    # Whose student or relative the guest is ("I'm X's cousin"; 我是X的学生 below): someone else, unlike whose client.
    re.compile(rf"\b(?:i'm|im|i am)\s+{_WHO_2}'s\s+(?:{_KIN})\b"),
    # Who did something for the guest before ("X did my TTPS", X帮我办好了…): the guest now asks for the next thing.
    re.compile(rf"{_WHO_2}\s+did\s+(?:my|our)\b"),
    # ("X translated my documents, now I need them notarised": what X did is done)
    re.compile(rf"{_WHO_2}\s+(?:already\s+)?(?:[a-z]{{3,}}ed|set up|sold|wrote|drew up|made|took out|sent)\s+"
               rf"(?:my|our)\b(?=[^.;!?]{{0,80}}\b(?:now|next|but)\b)"),
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:帮我|帮我哋|帮我们|替我|给我)"
               r"(?:办好了|办好|办了|搞掂|搞定了|做好了|处理好了)"),
    # (a remark in brackets beside it: "Kevin Wong's (KL) assistant")
    re.compile(rf"{_WHO_2}(?:\s*{_REMARK})?'s\s+(?:{_REMARK}\s*)?"
               rf"(?:(?:ex|former|old)\s+)?(?:[a-z]+\s+)?(?P<role>{_ROLES_OF})\b"),  # (X's branch manager)
    # "I met Amy Ho, I need her assistant", 佢嘅秘书: whoever the text before names.
    re.compile(rf"^(?P<who>.{{2,80}}?)\s*\b(?:his|her|their)\s+(?P<role>{_ROLES_OF})s?\b"),
    re.compile(r"^(?P<who>.{2,80}?)(?:他|她|佢)(?:的|嘅)?(?P<role>助理|秘书|助手|上司|老板|主管|同事)"),
    # 林慧的香港同事: a colleague of theirs, a place or a word between (the colleague is there)
    re.compile(r"(?P<who>[\u4e00-\u9fff]{2,4}?)(?:的|嘅)[\u4e00-\u9fff]{0,4}?(?P<role>同事)"),
    # Who told the guest whom to ask ("my friend Amy Ho told me to ask for …", "X叫我搵…", "X said to ask …",
    # "X said Y would help"), the whole clause before it where it says more ("my friend X from your Y office told me").
    re.compile(_WHO_3 + r"\s+(?:told|asked|advised|suggested|said|gave|passed|transferred)\s+"
               r"(?:me|us|i|that i|we)\b"),
    # "Dr Mok sent me", "X referred us here": not "X sent me a message" (X wrote to the guest).
    re.compile(_WHO_3 + r"\s+(?:sent|referred|recommended|pointed|forwarded)\s+"
               r"(?:me|us)\b"
               r"(?!\s+(?:a|an|the|this|that|my|our|your|his|her|their|some|back|over)\b)"),
    re.compile(rf"(?:^|(?<={_STOP}))\s*(?P<who>[^,.;:!?()，。；：！？（）]{{2,80}}?)\s+(?:told|advised)\s+(?:me|us)\b"),
    re.compile(rf"{_WHO_3}\s+(?:said|says|mentioned|suggested)\s+"
               rf"(?:{_TOLD}|(?:[a-z]+\s+){{1,5}}(?:{_WOULD}))\b"),
    # Who could not help, or said it is not theirs ("X couldn't help", "X said tax isn't his area", "X doesn't handle
    # it"), or sent the guest something and said whom to ask, or what comes next ("X sent me the deed, now I need …").
    re.compile(rf"{_WHO_3}\s+(?:couldn't|couldnt|could not|can't|cant|cannot|wasn't able to|was unable to|"
               rf"didn't|did not|doesn't|doesnt|does not)\s+(?:help|handle|deal with|do that|cover)\b"),
    re.compile(rf"{_WHO_3}\s+(?:said|says|told me)\s+[^.;!?]{{0,60}}?\b(?:isn't|isnt|is not|wasn't|not)\s+"
               rf"(?:his|her|their)\s+(?:area|field|thing|department|job|expertise|remit)\b"),
    re.compile(rf"{_WHO_3}\s+(?:sent|gave|emailed|passed|forwarded)\s+(?:me|us)\s+"
               rf"(?=[^.;!?]{{0,60}}?\b(?:now|next|and said|and told me|but)\b)"),
    # Whom a pronoun points back to ("I bank with Amy Ho, she said I should …", "Amy Ho handled my claim, it was
    # rejected, she told me to …", 我嘅RM系X，佢叫我揾…): the text before, clauses and all.
    re.compile(rf"(?:^|(?<={_STOP}))\s*(?P<who>[^.;:!?()。；：！？（）]{{2,80}}?)\s*(?:{_STOP}|\band\b|\bbut\b)\s*"
               rf"(?:he|she|they)\s+(?:said|says|told|advised|suggested|recommended|mentioned)\s+(?:{_TOLD})\b"),
    re.compile(rf"(?:^|(?<={_STOP}))(?P<who>[^,.;:!?()，。；：！？（）]{{2,40}}?){_STOP}\s*(?:他|她|佢)(?:说|话|讲)?[，,\s]*"
               r"(?:叫|让|要|建议|话|说|讲)"),
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:叫|让|话|建议|要)(?:我|我们)(?:可以|去|来|直接|先)?"
               r"(?:揾|找|联系|联络|问|同|跟|和)"),
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:同|跟|和)(?:我|我们)(?:讲|说|话)"),
    # X说外汇对冲要找另一个同事: what X said the guest's need takes is someone else.
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:说|讲|话)[^，。？！,?!]{1,12}?(?:要|得|应该|可以)"
               r"(?:揾|找|联系|问)"),
    # X话你哋有人识…, X说你们有同事…: X said someone here would know.
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:说|讲|话)(?:你们|你哋|贵行|贵公司)?(?:有人|有同事|有位|有个)"),
    # X说(她)让我找…, X话我可以揾…, X话要揾…: whom X said to ask is wanted, not X.
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:说|讲|话)[，,\s]*(?:[他她佢](?:说|话|讲)?)?[，,\s]*"
               r"(?:(?:叫|让|要|建议)?(?:我|我们)(?:的事|嘅事|的问题|嘅问题|这个|呢个)?(?:可以|去|来|应该|要|得)?|要|应该)?"
               r"(?:揾|找|联系|联络|问)"),
    # 梁凯晴以前是我的客户经理，现在我想…: a past adviser moved on from.
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:以前|之前|曾经)(?:是|系)我(?:的|嘅)?"
               r"(?:客户经理|理财经理|经理|顾问|经纪|rm)(?=[^。！？!?]{0,40}(?:现在|但|不过))"),
    # Whom the guest's people know or dealt with (我老公认识X, 我朋友之前找过X, 我妈妈的保险是X帮忙买的).
    re.compile(rf"我的?(?:{_RELATIONS_ZH})(?:之前|以前|上次)?(?:认识|识得|识|熟悉|找过|揾过|见过|跟过|用过)"
               rf"(?P<who>[\u4e00-\u9fffa-z ]{{2,8}}?)(?={_STOP}|$|[,，我想要])"),
    re.compile(rf"我的?(?:{_RELATIONS_ZH})(?:之前|以前|上次|一直)(?:跟|同|和|找)(?P<who>[\u4e00-\u9fffa-z ]{{2,8}}?)"
               r"(?:做|买|办|开|倾|谈|签)"),  # 我老公之前跟王芳做退休规划: whom they dealt with
    re.compile(rf"我的?(?:{_RELATIONS_ZH})(?:的|嘅)[^,.;:!?()，。；：！？（）]{{0,6}}?(?:是|系)"
               rf"(?P<who>[\u4e00-\u9fffa-z ]{{2,8}}?)(?:帮忙|帮手)?(?:买|办|做|卖|开)(?:的|嘅)"),
    # A past adviser the guest has moved on from ("X was my RM years ago, now I need …"), or one away ("X is my
    # agent but he's on leave, who can …").
    re.compile(rf"{_WHO_2}\s+(?:was|used to be)\s+(?:my|our)\s+"
               rf"{_ADVISERS}\b"
               r"(?=[^.;!?]{0,80}\b(?:but|now)\b)"),
    # One who has gone ("my agent Hope Wang left, who now …"; X已经离职/走咗).
    re.compile(rf"\b(?:my|our)\s+(?:old\s+|former\s+|previous\s+)?{_ADVISERS}\s*,?\s+{_WHO_2}\s*,?\s+"
               r"(?:has\s+|had\s+|just\s+)?(?:left|retired|quit|resigned|moved on|moved away|is gone|is no longer)\b"),
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:已经|已|经已)?(?:离职|辞职|走咗|走了|退休了|唔做咗|不做了)"),
    re.compile(rf"{_WHO_2}\s+is\s+(?:my|our)\s+{_ADVISERS}\s*,?\s*but\s+"
               r"(?:he|she|they)(?:'s|'re| is| are)\s+(?:on leave|away|off|out|not (?:in|around|available)|busy|"
               r"on holiday|travell?ing|sick)\b"),
    # Whom the guest's own people dealt with ("my sister was looked after by X", "X helped my friend").
    re.compile(rf"\b(?:my|our)\s+(?:{_RELATIONS})\s+(?:was|were|got|has been|had been|is)\s+(?:{_SERVED}|seen)\s+by\s+"
               rf"{_TITLE}(?P<who>(?:[a-z]+\s*){{1,3}}?)(?=\s*(?:{_STOP}|\bbut\b|\band\b|\bbefore\b|\blast\b|$))"),
    re.compile(rf"{_WHO_2}\s+(?:{_SERVED})\s+(?:my|our)\s+(?:{_RELATIONS})\b"),
    # "my friend banks with Daniel Chan in London": the friend's banker
    re.compile(rf"\b(?:my|our)\s+(?:{_RELATIONS})\s+(?:banks?|invests?|deals?)\s+with\s+{_TITLE}"
               rf"(?P<who>(?:[a-z]+\s*){{1,3}}?)(?=\s*(?:{_STOP}|\bbut\b|\band\b|\bin\b|\bat\b|$))"),
    re.compile(rf"(?P<who>[\u4e00-\u9fffa-z ]{{2,8}}?)(?:帮过|帮|服务过|跟过|照顾过)我(?:的|嘅)?(?:{_RELATIONS_ZH})"),
    # Whose friend, family or secretary the guest is (我是X的朋友, 我是X的妈妈, 我是李总的秘书; not 我是X的客户: X is
    # the guest's adviser, nor 我是X的客户的朋友), or whose client while X is away (我是X的客户，她休假了).
    re.compile(r"我(?:是|系)(?P<who>[^的嘅,.;:!?()，。；：！？（）]{2,12}?)(?:的|嘅)?(?:朋友|亲戚|邻居|同学|老同学|旧同事|"
               r"妈妈|爸爸|妈咪|爹地|太太|老公|老婆|丈夫|妻子|儿子|女儿|家人|秘书|助理|司机|学生|学员|徒弟|表哥|表姐|"
               r"表弟|表妹|堂哥|堂姐|堂弟|堂妹|侄子|侄女|外甥)"),
    re.compile(r"我(?:是|系)(?P<who>[^的嘅,.;:!?()，。；：！？（）]{2,12}?)(?:的|嘅)客户?[^。！？!?]{0,12}?"
               r"(?:休假|放假|请假|病假|产假|不在|出差|离职|辞职|退休|走咗|走了)"),
    # 我系X嘅旧客，今次想…: a past client of theirs with something new
    re.compile(r"我(?:是|系)(?P<who>[^的嘅,.;:!?()，。；：！？（）]{2,12}?)(?:的|嘅)(?:旧|老)客户?"
               r"(?=[^。！？!?]{0,8}?(?:今次|这次|呢次|这回|现在|但|不过))"),
    re.compile(r"经(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:介绍|推荐|转介)"),
    re.compile(r"(?:我们?(?:是|系))?(?P<who>[\u4e00-\u9fffa-z ]{2,8}?)(?:介绍|推荐|推介|转介)"
               r"(?:(?:我|我们)?(?:来|过来|嚟|过嚟|找|揾|联系)"
               r"|的|嘅)"),
    re.compile(r"(?P<who>[\u4e00-\u9fffa-z ]{2,8}?|\b[a-z]+(?: [a-z]+){0,2} ?)(?:的|嘅|个)"
               r"(?P<role>助理|秘书|同事|助手|上司|老板|领导|主管|下属|团队)"),
    # a title's holder's, run together (总裁助理, CEO秘书): whoever assists them
    re.compile(rf"(?<!我是)(?<!我系)(?P<who>{_HELD_TITLES})\s?(?P<role>助理|秘书|助手)"),
    # Whom the guest complains about is not whom they want ("I want to complain about X", "X was rude to me",
    # "bought a plan from X … I want to complain", 我要投诉X): whoever handles complaints is.
    re.compile(r"\bcomplain(?:t|ts|ing|ed)?\s+(?:about|against|regarding)\s+(?P<who>(?:[a-z]+\s+){0,2}?[a-z]+)"
               rf"(?=\s*(?:{_STOP}|\b(?:and|who|because|for|in|at|from|to|of)\b|$))"),
    re.compile(_WHO_2 + r"\s+(?:was|is|were|has been)\s+"
               r"(?:so\s+|very\s+|really\s+)?"
               r"(?:rude|unprofessional|impolite|misleading|dishonest)\b"),
    re.compile(r"\b(?:bought|purchased)\b[^.;!?]{0,40}?\bfrom\s+(?P<who>(?:[a-z]+\s+){0,1}[a-z]+)\b"
               r"(?=[^.;!?]*\bcomplain)"),
    re.compile(r"投诉(?!你|您|贵|部|一下|的)(?P<who>[\u4e00-\u9fff]{2,3}?)(?=$|[，,。.!！?？\s]|(?:的|嘅)?(?:态度|服务|销售))"),
)


# A clause before the guest asks for someone by what they do: about someone else, unless its one named does that (the
# guest asking for them: "I'm looking for X, who can help me with …"); not a clause that asks for someone itself.
_ASKS_FOR = (r"(?:i|we)(?:'m| am| are)?\s+(?:looking for|trying to (?:reach|contact|find)|"
             r"(?:want|need|would like|'d like) to (?:speak|talk) (?:to|with)|(?:want|need)\s+(?!to\b))")
_ASKS_FOR_ZH = r"我们?(?:想|要|需要)?(?:找|揾|联系|约见)"
_BEFORE_ASKING = (
    # "my friend was helped by X, but I need the pension person", "I had an appointment with X and need to move it,
    # who does the bookings?"
    re.compile(rf"(?:^|(?<={_STOP}))\s*(?P<who>(?!{_ASKS_FOR})[^,.;:!?()，。；：！？（）]{{2,120}}?)\s*{_STOP}?\s*"
               rf"\bbut\s+(?:now\s+)?"
               rf"(?:i|we)\s*(?:need|want|am looking for|'m looking for|would like|'d like)\s+"
               rf"(?:the|a|an|someone|somebody|whoever|anyone)\b"),
    re.compile(rf"(?:^|(?<={_STOP}))\s*(?P<who>(?!{_ASKS_FOR})(?:i|we|my|our)\b[^,.;:!?()，。；：！？（）]{{2,120}}?)"
               rf"\s*{_STOP}\s*(?:so\s+|but\s+|now\s+)?{_ASKS_WHO}"),
    # 我之前约了X，想改时间，请问谁负责预约: the guest's clauses before a question for whoever does something.
    re.compile(rf"^(?P<who>(?!{_ASKS_FOR_ZH})(?:我|之前|以前|上次|上个月|上星期|上周|琴日|昨天)"
               rf"[^,.;:!?()，。；：！？（）]{{1,80}}?){_STOP}(?:[^,.;:!?()，。；：！？（）]*{_STOP})*?\s*(?:请问|想问)?(?:(?:谁|边个|边位|哪位|哪个同事|什么人)"
               r"(?:负责|管|处理|跟进|可以帮|帮我)|(?:找|揾|问)(?:谁|边个|边位|哪位))"),
    # 我同事说X很好，但我想找做贸易融资的: the clause before the guest turns to someone by what they do.
    re.compile(rf"(?:^|(?<={_STOP}))(?P<who>[^,.;:!?()，。；：！？（）]{{2,60}}?){_STOP}?(?:但是|但|不过|可是)我?(?:们)?"
               r"(?:想|要|需要)(?:找|揾|问|联系)"),
)


# Words that describe someone by what they do rather than name them ("the insurance one", 做保险那个).
_DESCRIBED = re.compile(r"^(?:the|that|this|your)\s|\b(?:one|guy|lady|person|people|team|desk|department|side)$"
                        r"|(?:那个|那位|嗰个|嗰位|个|位|的|嘅|顾问|经理|专员|同事|主任|团队|部门|那边)$|^(?:做|负责|搞|管)")


def described(who: str) -> bool:
    """Whether `who` describes someone (or is a bare need: "not insurance", 不是保险)."""
    bare = len(who.split()) <= 2 and len(who) <= 20 if who.isascii() else len(who) <= 4
    return bool(_DESCRIBED.search(who)) or bare


# The guest asks for someone other than whom they name (其他同事); "someone", with a need also asked for
# ("Amy Ho is my RM, I need someone for a mortgage"; not "can someone put me through to Amy Ho").
_ANOTHER = re.compile(r"\b(?:someone else|somebody else|anyone else|other (?:colleagues?|people|staff)|"
                      r"another (?:person|colleague|rm|advisor|adviser|staff))\b"
                      r"|其他同事|别的同事|其他职员|另一位同事|另一个同事|另外一个同事|另外一位同事")
_SOMEONE = re.compile(r"\b(?:someone|somebody|anyone|anybody)\b|有冇人|有没有人|有人")


@dataclass(frozen=True)
class Part:
    who: str  # the words that name them
    span: tuple[int, int]  # where in `Others.read`
    excluded: bool = False  # "not X" (else someone else: a referrer, whose assistant)
    role: str = ""  # whom of theirs the guest wants, where it is a role ("X's boss": head, "X的助理": assistant)
    theirs: bool = False  # the guest wants someone of theirs ("X's colleague"), not them
    before_asking: bool = False  # named before the guest asks for someone by what they do: not them, unless they do it


@dataclass(frozen=True)
class Others:
    read: str  # the text as the patterns read it
    parts: tuple[Part, ...]
    another: bool = False  # it asks for someone other than whom it names: who is named is asked about
    someone: bool = False  # it asks for someone: with a need, who is named is asked about

    def without(self, spans: list[tuple[int, int]], instead: Mapping[tuple[int, int], str] | None = None) -> str:
        """The text without these parts (`instead`: what is left of some: a need beside a referrer's name)."""
        out, end = [], 0
        for start, stop in sorted(spans):
            out.append(self.read[end:max(start, end)])
            if instead and (start, stop) in instead:  # even inside another part: 梁志强说 in 志强说让我找合规的同事
                out.append(instead[start, stop])
            end = max(end, stop)
        return " ".join([*out, self.read[end:]])


# A possessive written after an s alone (Hughes' colleague).
_PLURAL_POSSESSIVE = re.compile(r"(?<=[a-z]s)'(?=\s)")
# A hyphen inside a name (Chun-hua), not in an e-mail address.
_HYPHEN = re.compile(r"\S*@\S*|(?<=[a-z])-(?=[a-z])")
# Negation and pointing words in pinyin and Cantonese romanisation, read as the characters.
_ROMANISED = ((re.compile(r"\bbu ?shi\b"), "不是"), (re.compile(r"\bm ?(?:hai|hei)\b"), "唔系"),
              (re.compile(r"\bna ?(?:ge|wei)\b"), "那个"), (re.compile(r"\bgo ?(?:go|wai)\b"), "嗰个"))


def others_named(text: str) -> Others:
    read = plain(text)
    for pattern, chinese in _ROMANISED:
        read = pattern.sub(chinese, read)
    read = _HYPHEN.sub(lambda m: m.group(0) if "@" in m.group(0) else " ", read)  # Chun-hua Huang: as Chun hua Huang
    read = _PLURAL_POSSESSIVE.sub("'s", read)  # Charlotte Hughes' colleague: as Hughes's
    excluded = [Part(*_who(read, m), True) for pattern in _EXCLUDED for m in pattern.finditer(read)]
    other = [Part(*_who(read, m), role=_role(m.groupdict().get("role")), theirs="role" in m.groupdict())
             for pattern in _SOMEONE_ELSE for m in pattern.finditer(read)]
    other += [Part(*_who(read, m), before_asking=True) for pattern in _BEFORE_ASKING for m in pattern.finditer(read)]
    return Others(read, tuple(excluded + other), bool(_ANOTHER.search(read)), bool(_SOMEONE.search(read)))


def _who(read: str, m: re.Match[str]) -> tuple[str, tuple[int, int]]:
    """Whom a match names and where: from the start of the word it starts in (a pattern of a few characters before
    叫我 takes "tor chen" of "victor chen": the whole name is theirs)."""
    start, end = m.span("who")
    while 0 < start and read[start - 1].isascii() and read[start - 1].isalpha() and read[start].isalpha():
        start -= 1
    return read[start:end].strip(), (start, end)


def _role(word: str | None) -> str:
    """The role a word for someone's someone names: their boss, manager, 上司 are a head of their unit."""
    if not word:
        return ""
    return "head" if word in _BOSSES else next(iter(sorted(roles_in(word))), "")
