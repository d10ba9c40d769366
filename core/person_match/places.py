"""Where a desk is and where a guest says they are: the cities a Hong Kong / mainland firm has offices in, some with
the districts a guest names instead (陆家嘴, 前海), and the provinces, states and countries that hold them (a guest
"from Fujian" or "in Canada" fits a Xiamen or a Toronto desk). Written from a gazetteer, not from examples. Left out:
- Hong Kong's districts in Latin letters, but where a firm's desks name them (a branch in Sha Tin): where a flat is
  bought or a seminar was is read as where the guest is, which other firms' desks do not tell apart (measured: fewer
  right on the development sets); in Chinese they are read (the branch at 观塘: measured, more right);
- names that are as often a person's (Jordan, Stanley, Richmond, Markham, 朝阳, "xian"), a word (Central, 半山),
  held in a longer word (新会员, 参加国际, 大马路, 平台中), or another place too (德州 is Texas and Dezhou; Canton would
  be read in "Cantonese");
- Lisbon and Porto: the dictionary reads them (里斯本: Lisbon) where a desk is there, which asks the guest; as places
  here, a guest asking about the weather there would be offered that desk.
奥克兰, Auckland's and Oakland's name, is either, told apart by the places named with it (`PLACES_ALIKE`)."""
from __future__ import annotations

from core.person_match.situations import Table

# A city: its names and districts in English (whole words; phrases as written) and in Chinese (Simplified, as
# text is folded to).
CITIES: Table = {
    # Hong Kong, Macau, Taiwan
    "hong_kong": (("hong kong", "hk", "hongkong", "kowloon", "new territories"),
                  ("香港", "本港", "九龙", "新界", "港岛")),
    "macau": (("macau", "macao"), ("澳门",)),
    "taipei": (("taipei",), ("台北",)),
    "taichung": (("taichung",), ()),  # 台中 is in 平台中 (on the platform)
    "kaohsiung": (("kaohsiung",), ("高雄",)),
    # The mainland's cities, the Greater Bay Area's first
    "shenzhen": (("shenzhen",), ("深圳",)),
    "guangzhou": (("guangzhou",), ("广州",)),
    "zhuhai": (("zhuhai", "hengqin"), ("珠海", "横琴")),
    "dongguan": (("dongguan",), ("东莞",)),
    "foshan": (("foshan",), ("佛山",)),
    "zhongshan": (("zhongshan",), ("中山市",)),
    "huizhou": (("huizhou",), ("惠州",)),
    "jiangmen": (("jiangmen",), ("江门",)),
    "zhaoqing": (("zhaoqing",), ("肇庆",)),
    "shantou": (("shantou", "swatow"), ("汕头", "潮汕")),
    "shanghai": (("shanghai",), ("上海",)),
    "beijing": (("beijing", "peking"), ("北京",)),
    "tianjin": (("tianjin",), ("天津",)),
    "hangzhou": (("hangzhou",), ("杭州",)),
    "ningbo": (("ningbo",), ("宁波",)),
    "wenzhou": (("wenzhou",), ("温州",)),
    "nanjing": (("nanjing",), ("南京",)),
    "suzhou": (("suzhou",), ("苏州",)),
    "wuxi": (("wuxi",), ("无锡",)),
    "xiamen": (("xiamen", "amoy"), ("厦门",)),
    "fuzhou": (("fuzhou", "foochow"), ("福州",)),
    "quanzhou": (("quanzhou",), ("泉州",)),
    "qingdao": (("qingdao", "tsingtao"), ("青岛",)),
    "jinan": (("jinan",), ("济南",)),
    "dalian": (("dalian",), ("大连",)),
    "shenyang": (("shenyang",), ("沈阳",)),
    "harbin": (("harbin",), ("哈尔滨",)),
    "xian": ((), ("西安",)),  # "xian" is as often a given name (in a desk, Xi'an: IN_DESKS)
    "chengdu": (("chengdu",), ("成都",)),
    "chongqing": (("chongqing", "chungking"), ("重庆",)),
    "wuhan": (("wuhan",), ("武汉",)),
    "changsha": (("changsha",), ("长沙",)),
    "zhengzhou": (("zhengzhou",), ("郑州",)),
    "hefei": (("hefei",), ("合肥",)),
    "kunming": (("kunming",), ("昆明",)),
    "nanning": (("nanning",), ("南宁",)),
    "haikou": (("haikou",), ("海口",)),
    # Asia beyond
    "singapore": (("singapore", "sg"), ("新加坡", "星加坡", "狮城")),
    "kuala_lumpur": (("kuala lumpur", "kl"), ("吉隆坡",)),
    "penang": (("penang",), ("槟城", "槟榔屿")),
    "johor_bahru": (("johor bahru", "johor"), ("柔佛",)),
    "bangkok": (("bangkok",), ("曼谷",)),
    "jakarta": (("jakarta",), ("雅加达",)),
    "manila": (("manila",), ("马尼拉",)),
    "ho_chi_minh": (("ho chi minh", "saigon"), ("胡志明市",)),
    "tokyo": (("tokyo",), ("东京",)),
    "osaka": (("osaka",), ("大阪",)),
    "seoul": (("seoul",), ("首尔", "汉城")),
    "dubai": (("dubai",), ("迪拜",)),
    "abu_dhabi": (("abu dhabi",), ("阿布扎比", "阿布达比")),
    "zurich": (("zurich",), ("苏黎世",)),
    "geneva": (("geneva",), ("日内瓦",)),
    "hanoi": (("hanoi",), ("河内",)),
    # Australia, New Zealand
    "sydney": (("sydney",), ("悉尼",)),
    "melbourne": (("melbourne",), ("墨尔本",)),
    "brisbane": (("brisbane",), ("布里斯班",)),
    "perth": (("perth",), ("珀斯", "柏斯")),
    "auckland": (("auckland",), ("奥克兰",)),
    # North America
    "toronto": (("toronto",), ("多伦多",)),
    "vancouver": (("vancouver",), ("温哥华", "温市")),
    "montreal": (("montreal",), ("蒙特利尔", "满地可")),
    "calgary": (("calgary",), ("卡尔加里", "卡加利")),
    "new_york": (("new york", "nyc"), ("纽约",)),
    "san_francisco": (("san francisco", "sf", "bay area"), ("旧金山", "三藩市", "湾区")),
    "los_angeles": (("los angeles",), ("洛杉矶", "洛城")),
    "oakland": (("oakland",), ("奥克兰",)),  # (Auckland's name too: PLACES_ALIKE)
    "seattle": (("seattle",), ("西雅图",)),
    "boston": (("boston",), ("波士顿",)),
    "chicago": (("chicago",), ("芝加哥",)),
    "philadelphia": (("philadelphia", "philly"), ("费城",)),
    "houston": (("houston",), ("休斯顿", "休斯敦")),
    "washington_dc": (("washington dc", "dc area"), ("华盛顿特区",)),
    # Europe
    "london": (("london",), ("伦敦",)),
    "manchester": (("manchester",), ("曼彻斯特", "曼城")),
    "edinburgh": (("edinburgh",), ("爱丁堡",)),
    "leeds": (("leeds",), ("利兹",)),
    "birmingham": (("birmingham",), ("伯明翰",)),
    "dublin": (("dublin",), ("都柏林",)),
}

# A city's districts and the towns around it, where a firm may have a branch of its own: each names its city as the
# city's own name does, and itself, so that a guest there fits the branch there best (列治文: the Richmond branch,
# not the Burnaby one, though both are Vancouver's). By city.
DISTRICTS: dict[str, Table] = {
    "macau": {"taipa": (("taipa", "cotai"), ("氹仔", "路氹")), "coloane": (("coloane",), ("路环",))},
    "taipei": {"new_taipei": (("new taipei",), ("新北",)), "xinyi": (("xinyi",), ("信义区",))},
    "shenzhen": {"futian": (("futian",), ("福田",)), "luohu": (("luohu", "lo wu"), ("罗湖",)),
                 "qianhai": (("qianhai",), ("前海",)), "longgang": (("longgang",), ("龙岗",)),
                 "baoan": (("baoan",), ("宝安",)), "shekou": (("shekou",), ("蛇口",)),
                 "longhua": (("longhua",), ("龙华区",)), "nanshan": ((), ("南山区",))},
    "guangzhou": {"tianhe": (("tianhe", "zhujiang new town"), ("天河", "珠江新城")), "panyu": (("panyu",), ("番禺",)),
                  "yuexiu": (("yuexiu",), ("越秀",)), "haizhu": (("haizhu",), ("海珠",)),
                  "nansha": (("nansha",), ("南沙",)), "baiyun": ((), ("白云区",)), "huangpu_gz": ((), ("黄埔区",))},
    "foshan": {"shunde": (("shunde",), ("顺德",)), "nanhai": (("nanhai",), ("南海区",))},
    "jiangmen": {"taishan": (("taishan", "toisan"), ("台山",)), "kaiping": ((), ("开平",))},
    "shantou": {"chaozhou": (("chaozhou", "teochew"), ("潮州",)), "jieyang": ((), ("揭阳",))},
    "shanghai": {"pudong": (("pudong", "lujiazui"), ("浦东", "陆家嘴")), "puxi": (("puxi",), ("浦西",)),
                 "jingan": (("jingan",), ("静安",)), "xuhui": (("xuhui",), ("徐汇",)),
                 "hongqiao": (("hongqiao",), ("虹桥",)), "minhang": (("minhang",), ("闵行",)),
                 "the_bund": (("the bund",), ("外滩",)), "changning": ((), ("长宁区",)), "yangpu": ((), ("杨浦",)),
                 "huangpu": ((), ("黄浦区",)), "baoshan": ((), ("宝山区",)), "jiading": ((), ("嘉定",)),
                 "songjiang": ((), ("松江",)), "qingpu": ((), ("青浦",))},
    "beijing": {"haidian": (("haidian", "zhongguancun"), ("海淀", "中关村")), "guomao": (("guomao",), ()),
                "wangjing": (("wangjing",), ("望京",)), "yizhuang": (("yizhuang",), ("亦庄",)),
                "dongcheng": ((), ("东城区",)), "xicheng": ((), ("西城区",)), "fengtai": ((), ("丰台",)),
                "chaoyang": ((), ("朝阳区",))},
    "tianjin": {"binhai": (("binhai",), ("滨海新区",))},
    "hangzhou": {"xiaoshan": (("xiaoshan",), ("萧山",)), "yuhang": (("yuhang",), ("余杭",)),
                 "binjiang": (("binjiang",), ("滨江区",)), "xihu": ((), ("西湖区",))},
    "xiamen": {"gulangyu": (("gulangyu",), ("鼓浪屿",))},
    "quanzhou": {"jinjiang": ((), ("晋江",)), "shishi": ((), ("石狮",))},
    "haikou": {"sanya": (("sanya",), ("三亚",))},
    "singapore": {"marina_bay": (("marina bay",), ("滨海湾",)), "jurong": (("jurong",), ("裕廊",)),
                  "orchard": ((), ("乌节",)), "raffles_place": ((), ("莱佛士坊",))},  # (in Latin letters: IN_DESKS)
    # Hong Kong's districts, where a firm has branches: in Latin letters, only where its desks name them
    # (IN_DESKS), as a guest in Sha Tin who buys a flat in Tuen Mun asks for no branch of a firm that has none
    "hong_kong": {"central": ((), ("中环",)), "admiralty": ((), ("金钟",)), "wan_chai": ((), ("湾仔",)),
                  "causeway_bay": ((), ("铜锣湾",)), "north_point": ((), ("北角",)), "quarry_bay": ((), ("鲗鱼涌",)),
                  "tsim_sha_tsui": ((), ("尖沙咀",)), "mong_kok": ((), ("旺角",)), "yau_ma_tei": ((), ("油麻地",)),
                  "sham_shui_po": ((), ("深水埗",)), "kowloon_bay": ((), ("九龙湾",)), "kwun_tong": ((), ("观塘",)),
                  "sha_tin": ((), ("沙田",)), "tai_po": ((), ("大埔",)), "tsuen_wan": ((), ("荃湾",)),
                  "kwai_chung": ((), ("葵涌",)), "tuen_mun": ((), ("屯门",)), "yuen_long": ((), ("元朗",)),
                  "tseung_kwan_o": ((), ("将军澳",)), "tung_chung": ((), ("东涌",))},
    "toronto": {"scarborough": (("scarborough",), ("士嘉堡",)), "mississauga": (("mississauga",), ("密西沙加",)),
                "north_york": (("north york",), ("北约克",)), "richmond_hill": (("richmond hill",), ("列治文山",)),
                "markham": ((), ("万锦",))},  # "Markham" as a place: IN_DESKS
    "vancouver": {"burnaby": (("burnaby",), ("本拿比",)), "coquitlam": (("coquitlam",), ("高贵林",)),
                  "richmond": ((), ("列治文",))},  # "Richmond" as a place: IN_DESKS
    "new_york": {"manhattan": (("manhattan",), ("曼哈顿",)), "brooklyn": (("brooklyn",), ("布鲁克林",)),
                 "flushing": (("flushing",), ("法拉盛",))},
    "san_francisco": {"silicon_valley": (("silicon valley", "san jose", "palo alto"), ("硅谷", "圣何塞", "圣荷西"))},
    "los_angeles": {"san_gabriel": (("san gabriel",), ())},
    "london": {"canary_wharf": (("canary wharf",), ("金丝雀码头",))},
}
for _city, _districts in DISTRICTS.items():
    CITIES[_city] = (CITIES[_city][0] + tuple(w for en, _ in _districts.values() for w in en),
                     CITIES[_city][1] + tuple(w for _, zh in _districts.values() for w in zh))

# What holds the cities: the Greater Bay Area, provinces, states, countries.
REGIONS_HOLDING: Table = {
    "mainland": (("mainland", "prc"), ("内地", "大陆", "国内")),
    "gba": (("greater bay area", "bay area", "gba"), ("大湾区", "湾区")),
    # The mainland's regions, as a firm's desks divide it ("Group Benefits Manager, North China")
    "north_china": (("north china", "northern china"), ("华北",)),
    "east_china": (("east china", "eastern china"), ("华东",)),
    "south_china": (("south china", "southern china"), ("华南",)),
    "central_china": (("central china",), ("华中",)),
    "southwest_china": (("southwest china", "south west china"), ("西南地区",)),
    "northeast_china": (("northeast china", "north east china"), ("东北地区", "东北三省")),
    "guangdong": (("guangdong",), ("广东", "广东省")),
    "fujian": (("fujian", "fukien"), ("福建",)),
    "zhejiang": (("zhejiang",), ("浙江",)),
    "jiangsu": (("jiangsu",), ("江苏",)),
    "shandong": (("shandong",), ("山东",)),
    "liaoning": (("liaoning",), ("辽宁",)),
    "heilongjiang": (("heilongjiang",), ("黑龙江",)),
    "shaanxi": (("shaanxi",), ("陕西",)),
    "sichuan": (("sichuan", "szechuan"), ("四川",)),
    "hubei": (("hubei",), ("湖北",)),
    "hunan": (("hunan",), ("湖南",)),
    "henan": (("henan",), ("河南",)),
    "anhui": (("anhui",), ("安徽",)),
    "yunnan": (("yunnan",), ("云南",)),
    "guangxi": (("guangxi",), ("广西",)),
    "hainan": (("hainan",), ("海南",)),
    "taiwan": (("taiwan",), ("台湾",)),
    "malaysia": (("malaysia",), ("马来西亚",)),
    "australia": (("australia",), ("澳洲", "澳大利亚")),
    "new_zealand": (("new zealand",), ("新西兰", "纽西兰")),
    "ontario": (("ontario",), ("安省", "安大略")),
    "british_columbia": (("british columbia",), ("卑诗", "卑诗省")),
    "canada": (("canada", "canadian", "canadians"), ("加拿大",)),
    "california": (("california",), ("加州",)),
    "united_states": (("united states", "usa", "america"), ("美国",)),
    "united_kingdom": (("united kingdom", "uk", "britain", "england"), ("英国", "英伦")),
    "japan": (("japan",), ("日本",)),
    "uae": (("uae", "united arab emirates", "emirates"), ("阿联酋",)),
    "middle_east": (("middle east", "gulf region", "gcc"), ("中东", "海湾地区")),
    "southeast_asia": (("southeast asia", "south east asia", "asean"), ("东南亚",)),
    "switzerland": (("switzerland", "swiss"), ("瑞士",)),
    "thailand": (("thailand",), ("泰国",)),
    "indonesia": (("indonesia",), ("印尼", "印度尼西亚")),
    "philippines": (("philippines",), ("菲律宾",)),
    "vietnam": (("vietnam", "viet nam"), ("越南",)),
    "south_korea": (("south korea", "korea"), ("韩国", "南韩")),
    "portugal": (("portugal",), ("葡萄牙",)),
    "algarve": (("algarve",), ("阿尔加维",)),
    "ireland": (("ireland",), ("爱尔兰",)),
}

# Each place in the places that hold it.
HELD_IN: dict[str, tuple[str, ...]] = {
    # (not Taipei: a guest there asking for its customer service went to a Taiwan clients desk by place alone)
    "gba": ("mainland",), "macau": ("gba",), "taichung": ("taiwan",),
    "kaohsiung": ("taiwan",),
    # (one place holding each: a topic held in two is named when both are, see reading.combined)
    **{city: ("gba",) for city in ("shenzhen", "guangzhou", "zhuhai", "dongguan", "foshan", "zhongshan", "huizhou",
                                   "jiangmen", "zhaoqing")},
    "shantou": ("guangdong",),
    **{region: ("mainland",) for region in ("north_china", "east_china", "south_china", "central_china",
                                            "southwest_china", "northeast_china", "shaanxi")},
    **{province: ("east_china",) for province in ("fujian", "zhejiang", "jiangsu", "shandong", "anhui")},
    **{province: ("south_china",) for province in ("guangdong", "guangxi", "hainan")},
    **{province: ("central_china",) for province in ("hubei", "hunan", "henan")},
    **{province: ("southwest_china",) for province in ("sichuan", "yunnan")},
    **{province: ("northeast_china",) for province in ("liaoning", "heilongjiang")},
    "shanghai": ("east_china",), "beijing": ("north_china",), "tianjin": ("north_china",),
    "chongqing": ("southwest_china",),
    "hangzhou": ("zhejiang",), "ningbo": ("zhejiang",), "wenzhou": ("zhejiang",),
    "nanjing": ("jiangsu",), "suzhou": ("jiangsu",), "wuxi": ("jiangsu",),
    "xiamen": ("fujian",), "fuzhou": ("fujian",), "quanzhou": ("fujian",),
    "qingdao": ("shandong",), "jinan": ("shandong",), "dalian": ("liaoning",), "shenyang": ("liaoning",),
    "harbin": ("heilongjiang",), "xian": ("shaanxi",), "chengdu": ("sichuan",), "wuhan": ("hubei",),
    "changsha": ("hunan",), "zhengzhou": ("henan",), "hefei": ("anhui",), "kunming": ("yunnan",),
    "nanning": ("guangxi",), "haikou": ("hainan",),
    "kuala_lumpur": ("malaysia",), "penang": ("malaysia",), "johor_bahru": ("malaysia",),
    "osaka": ("japan",), "tokyo": ("japan",),
    "sydney": ("australia",), "melbourne": ("australia",), "brisbane": ("australia",), "perth": ("australia",),
    "auckland": ("new_zealand",),
    "toronto": ("ontario",), "ontario": ("canada",), "vancouver": ("british_columbia",),
    "british_columbia": ("canada",), "montreal": ("canada",), "calgary": ("canada",),
    "san_francisco": ("california",), "los_angeles": ("california",), "oakland": ("california",),
    "california": ("united_states",),
    "new_york": ("united_states",), "seattle": ("united_states",), "boston": ("united_states",),
    "chicago": ("united_states",), "philadelphia": ("united_states",), "houston": ("united_states",),
    "washington_dc": ("united_states",),
    "london": ("united_kingdom",), "manchester": ("united_kingdom",), "edinburgh": ("united_kingdom",),
    "leeds": ("united_kingdom",), "birmingham": ("united_kingdom",),
    "dubai": ("uae",), "abu_dhabi": ("uae",), "uae": ("middle_east",), "zurich": ("switzerland",),
    "geneva": ("switzerland",), "singapore": ("southeast_asia",),
    **{country: ("southeast_asia",) for country in ("malaysia", "thailand", "indonesia", "philippines", "vietnam")},
    "bangkok": ("thailand",), "jakarta": ("indonesia",), "manila": ("philippines",), "ho_chi_minh": ("vietnam",),
    "hanoi": ("vietnam",), "seoul": ("south_korea",),
    "algarve": ("portugal",), "dublin": ("ireland",),
    "phnom_penh": ("cambodia",), "yangon": ("myanmar",), "cambodia": ("southeast_asia",),
    "myanmar": ("southeast_asia",),
    "mumbai": ("india",), "new_delhi": ("india",), "bangalore": ("india",),
    "riyadh": ("saudi_arabia",), "doha": ("qatar",), "saudi_arabia": ("middle_east",), "qatar": ("middle_east",),
    "istanbul": ("turkey",), "moscow": ("russia",), "ulaanbaatar": ("mongolia",),
    "paris": ("france",), "frankfurt": ("germany",), "berlin": ("germany",), "amsterdam": ("netherlands",),
    "madrid": ("spain",), "barcelona": ("spain",), "rome": ("italy",), "athens": ("greece",),
}

# The places far from a Hong Kong / mainland firm's own, from a gazetteer: the cities and countries a private bank's
# and a migration adviser's clients come from or go to (not the BVI nor Cayman: where a company is registered, not where
# anyone is). Their Chinese names are read as written, never in pinyin (helan, bolin, bali are as often a given name).
FAR: Table = {
    "phnom_penh": (("phnom penh",), ()),  # 金边 is a gold edge too
    "yangon": (("yangon", "rangoon"), ("仰光",)),
    "mumbai": (("mumbai", "bombay"), ("孟买",)),
    "new_delhi": (("new delhi", "delhi"), ("新德里",)),
    "bangalore": (("bangalore", "bengaluru"), ("班加罗尔",)),
    "riyadh": (("riyadh",), ("利雅得",)),
    "doha": (("doha",), ("多哈",)),
    "istanbul": (("istanbul",), ("伊斯坦布尔",)),
    "moscow": (("moscow",), ("莫斯科",)),
    "ulaanbaatar": (("ulaanbaatar", "ulan bator"), ("乌兰巴托",)),
    "paris": (("paris",), ("巴黎",)),
    "frankfurt": (("frankfurt",), ("法兰克福",)),
    "berlin": (("berlin",), ("柏林",)),
    "amsterdam": (("amsterdam",), ("阿姆斯特丹",)),
    "madrid": (("madrid",), ("马德里",)),
    "barcelona": (("barcelona",), ("巴塞罗那",)),
    "rome": (("rome",), ("罗马",)),
    "athens": (("athens",), ("雅典",)),
    "luxembourg": (("luxembourg",), ("卢森堡",)),
    "monaco": (("monaco", "monte carlo"), ("摩纳哥",)),
    "india": (("india", "indian", "indians", "nri", "nris"), ("印度",)),
    "cambodia": (("cambodia",), ("柬埔寨",)),
    "myanmar": (("myanmar", "burma"), ("缅甸",)),
    "saudi_arabia": (("saudi arabia", "saudi", "ksa"), ("沙特", "沙特阿拉伯", "沙地阿拉伯")),
    "qatar": (("qatar",), ("卡塔尔",)),
    "turkey": (("turkiye",), ("土耳其",)),  # (the bird too)
    "russia": (("russia",), ("俄罗斯",)),
    "mongolia": (("mongolia",), ("蒙古",)),
    "france": (("france",), ("法国",)),
    "germany": (("germany",), ("德国",)),
    "netherlands": (("netherlands", "holland"), ("荷兰",)),
    "spain": (("spain",), ("西班牙",)),
    "italy": (("italy",), ("意大利",)),
    "greece": (("greece",), ("希腊",)),
    "cyprus": (("cyprus",), ("塞浦路斯",)),
    "malta": (("malta",), ("马耳他",)),
    "mauritius": (("mauritius",), ("毛里求斯",)),
    "mexico": (("mexico",), ("墨西哥",)),
    "brazil": (("brazil",), ("巴西",)),
    # (holding none of them: a guest in London would count a London desk's place twice, and a European desk is rare)
    "europe": (("europe", "european", "eu"), ("欧洲", "欧盟")),
}
NOT_IN_PINYIN = frozenset(k for _, chinese in FAR.values() for k in chinese)

PLACE_TOPICS: Table = {**CITIES, **{d: words for districts in DISTRICTS.values() for d, words in districts.items()},
                       **REGIONS_HOLDING, **FAR}
# The Greater Bay Area holds the words of San Francisco's; Richmond Hill (Toronto) those of Richmond (Vancouver).
PLACE_NOT_ABOUT = {"san_francisco": ("greater bay area", "大湾区"), "richmond": ("richmond hill", "列治文山"),
                   "vancouver": ("列治文山",), "india": ("印度尼西亚", "indian ocean"),
                   "guangdong": ("广东话", "广东人")}  # a language, a people: no place asked for

# Places one word names both (the Bay Area, 湾区), told apart by a word of their own or by the other places named
# with it (reading.py).
PLACES_ALIKE = (frozenset({"gba", "san_francisco"}), frozenset({"auckland", "oakland"}))

# A place's English name that is as often a person's, read as the place in a desk, where a firm writes its offices
# ("Branch Manager, Xi'an": folded, "xian"), and in a guest's words where the firm's desks have it and no one is
# named so (the index's `offices`). With the cities of the places named so.
IN_DESKS: dict[str, tuple[str, ...]] = {
    "xian": ("xian",), "richmond": ("richmond",), "markham": ("markham",), "orchard": ("orchard",),
    "raffles_place": ("raffles place",), "admiralty": ("admiralty",), "wan_chai": ("wan chai", "wanchai"),
    "causeway_bay": ("causeway bay",), "north_point": ("north point",), "quarry_bay": ("quarry bay",),
    "tsim_sha_tsui": ("tsim sha tsui", "tst"), "mong_kok": ("mong kok", "mongkok"), "yau_ma_tei": ("yau ma tei",),
    "sham_shui_po": ("sham shui po",), "kowloon_bay": ("kowloon bay",), "kwun_tong": ("kwun tong",),
    "sha_tin": ("sha tin", "shatin"), "tai_po": ("tai po",), "tsuen_wan": ("tsuen wan",), "kwai_chung": ("kwai chung",),
    "tuen_mun": ("tuen mun",), "yuen_long": ("yuen long",), "tseung_kwan_o": ("tseung kwan o",),
    "tung_chung": ("tung chung",)}
CITY_OF: dict[str, str] = {d: city for city, districts in DISTRICTS.items() for d in districts}
