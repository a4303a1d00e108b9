"""Top-level domains known to URL extraction (generated: scripts/generate_tlds.py).

IANA root zone, Public Suffix List tops and twitter-text's list (Apache-2.0), which
keeps retired TLDs that X still links. Longest first, as the URL pattern wants."""

_DATA = """
northwesternmutual travelersinsurance vermögensberatung vermögensberater americanexpress
kerryproperties sandvikcoromant afamilycompany americanfamily bananarepublic cancerresearch
cookingchannel kerrylogistics weatherchannel international lifeinsurance orientexpress
spreadbetting travelchannel wolterskluwer construction lplfinancial pamperedchef
scholarships versicherung accountants barclaycard blackfriday blockbuster bridgestone
calvinklein contractors creditunion engineering enterprises foodnetwork investments
kerryhotels lamborghini motorcycles olayangroup photography playstation productions
progressive redumbrella rightathome williamhill சிங்கப்பூர் accountant apartments associates
basketball bnpparibas boehringer capitalone consulting creditcard cuisinella eurovision
extraspace foundation healthcare immobilien industries management mitsubishi nationwide
newholland nextdirect onyourside properties protection prudential realestate republican
restaurant schaeffler swiftcover tatamotors technology telefonica university vistaprint
vlaanderen volkswagen accenture alfaromeo allfinanz amsterdam analytics aquarelle barcelona
bloomberg christmas community directory education equipment fairwinds financial firestone
fresenius frontdoor fujixerox furniture goldpoint goodhands hisamitsu homedepot homegoods
homesense honeywell institute insurance kuokgroup ladbrokes lancaster landrover lifestyle
marketing marshalls mcdonalds melbourne microsoft montblanc panasonic passagens pramerica
richardli scjohnson shangrila solutions statebank statefarm stockholm travelers vacations
yodobashi موريتانيا abudhabi airforce allstate attorney barclays barefoot bargains baseball
boutique bradesco broadway brussels budapest builders business capetown catering catholic
chrysler cipriani cityeats cleaning clinique clothing commbank computer delivery deloitte
democrat diamonds discount discover download engineer ericsson esurance etisalat everbank
exchange feedback fidelity firmdale flsmidth football frontier goodyear grainger graphics
guardian hdfcbank helsinki holdings hospital infiniti ipiranga istanbul jpmorgan lighting
lundbeck marriott maserati mckinsey memorial merckmsd mortgage movistar mutuelle observer
partners pharmacy pictures plumbing property redstone reliance saarland samsclub security
services shopping showtime softbank software stcgroup supplies symantec telecity training
uconnect vanguard ventures verisign woodside yokohama السعودية السعوديه السعودیة السعودیۃ
abogado academy agakhan alibaba android athleta auction audible auspost avianca banamex
bauhaus bentley bestbuy booking brother bugatti capital caravan careers cartier channel
charity chintai citadel clubmed college cologne comcast company compare contact cooking
corsica country coupons courses cricket cruises dentist digital domains exposed express
farmers fashion ferrari ferrero finance fishing fitness flights florist flowers forsale
frogans fujitsu gallery genting godaddy grocery guitars hamburg hangout hitachi holiday
hosting hoteles hotmail hyundai iselect ismaili jewelry juniper kitchen komatsu lacaixa
lancome lanxess lasalle latrobe leclerc liaison limited lincoln markets metlife monster
netbank netflix network neustar okinawa oldnavy organic origins panerai philips pioneer
politie realtor recipes rentals reviews rexroth samsung sandvik schmidt schwarz science
shiksha shriram singles spiegel staples starhub statoil storage support surgery systems
temasek theater theatre tickets tiffany toshiba trading walmart wanggou watches weather
website wedding whoswho windows winners xfinity yamaxun youtube zuerich католик اتصالات
البحرين الجزائر العليان كاثوليك موبايلي پاكستان پاکستان இந்தியா abarth abbott abbvie active
africa agency airbus airtel alipay alsace alstom amazon anquan aramco author bayern beauty
berlin bharti blanco bostik boston broker camera career caseih casino center chanel chrome
church circle claims clinic coffee comsec condos coupon credit cruise dating datsun dealer
degree dental design direct doctor doosan dunlop dupont durban emerck energy estate events
expert family flickr futbol gallup garden george giving global google gratis health hermes
hiphop hockey hotels hughes imamat insure intuit jaguar joburg juegos kaufen kinder kindle
kosher lancia latino lawyer lefrak living locker london luxury madrid maison makeup market
mattel mobile mobily monash mormon moscow museum mutual nagoya natura nissan nissay norton
nowruz office olayan online oracle orange otsuka pfizer photos physio piaget pictet quebec
racing realty reisen repair report review rocher rogers ryukyu safety sakura sanofi school
schule search secure select shouji soccer social stream studio supply suzuki swatch sydney
taipei taobao target tattoo tennis tienda tjmaxx tkmaxx toyota travel unicom viajes viking
villas virgin vision voting voyage vuelos walter warman webcam xihuan xperia yachts yandex
zappos москва онлайн ابوظبي ارامكو الاردن المغرب امارات فلسطين مليسيا भारतम् இலங்கை
ファッション actor adult aetna amfam amica apple archi audio autos azure baidu beats bible
bingo black boats boots bosch build canon cards chase cheap chloe cisco citic click cloud
coach codes crown cymru dabur dance deals delta dodge drive dubai earth edeka email epost
epson faith fedex final forex forum gallo games gifts gives glade glass globo gmail green
gripe group gucci guide homes honda horse hotel house hyatt iinet ikano intel irish iveco
jetzt koeln kyoto lamer lease legal lexus lilly linde lipsy lixil loans locus lotte lotto
lupin macys mango media merck miami money mopar movie music nadex nexus nikon ninja nokia
nowtv omega onion osaka paris parts party phone photo pizza place poker praxi press prime
promo quest radio rehab reise ricoh rocks rodeo rugby salon sener seven sharp shell shoes
skype sling smart smile solar space sport stada store study style sucks swiss tatar tires
tirol tmall today tokyo tools toray total tours trade trust tunes tushu ubank vegas video
vista vodka volvo wales watch weber weibo works world xerox yahoo zippo ישראל اليمن ايران
ایران بازار بھارت سودان سوريا سورية همراه भारोत संगठन বাংলা భారత్ ഭാരതം 嘉里大酒店 aarp able
adac aero aigo akdn ally amex arab army arpa arte asda asia audi auto baby band bank bbva
beer best bike bing blog blue bofa bond book buzz cafe call camp care cars casa case cash
cbre cern chat citi city club cool coop cyou data date dclk deal dell desi diet dish docs
doha duck duns dvag erni fage fail fans farm fast fiat fido film fire fish flir food ford
free fund game gbiz gent ggee gift gmbh gold golf goog guge guru hair haus hdfc help here
hgtv host hsbc icbc ieee imdb immo info itau java jeep jobs jprs kddi kids kiwi kpmg kred
land lego lgbt lidl life like limo link live loan loft love ltda luxe maif meet meme menu
mini mint mobi moda moto mtpc name navy news next nico nike ollo open page pars pccw pics
ping pink play plus pohl porn post prod prof qpon raid read reit rent rest rich rmit room
rsvp ruhr safe sale sapo sarl save saxo scor scot seat seek sexy shaw shia shop show silk
sina site skin sncf sohu song sony spot star surf talk taxi team tech teva tiaa tips town
toys tube vana visa viva vivo vote voto wang weir wien wiki wine work xbox yoga zara zero
zone дети сайт بارت بيتك تونس شبكة عراق عمان موقع ڀارت भारत ভারত ভাৰত ਭਾਰਤ ભારત ଭାରତ ಭಾರತ
ලංකා アマゾン クラウド グーグル ポイント 大众汽车 组织机构 電訊盈科 香格里拉 aaa abb abc aco
ads aeg afl aig anz aol app art aws axa bar bbc bbt bcg bcn bet bid bio biz bms bmw bnl bom
boo bot box buy bzh cab cal cam car cat cba cbn cbs ceb ceo cfa cfd com cpa crs csc dad day
dds dev dhl diy dnp dog dot dtv dvr eat eco edu esq eus fan fit fly foo fox frl ftr fun fyi
gal gap gay gdn gea gle gmo gmx goo gop got gov hbo hiv hkt hot how htc ibm ice icu ifm inc
ing ink int ist itv iwc jcb jcp jio jlc jll jmp jnj jot joy kfh kia kim kpn krd lat law lds
llc llp lol lpl ltd man map mba mcd med men meo mil mit mlb mls mma moe moi mom mov msd mtn
mtr nab nba nec net new nfl ngo nhk now nra nrw ntt nyc obi off one ong onl ooo org ott ovh
pay pet phd pid pin pnc pro pru pub pwc qvc red ren ril rio rip run rwe sap sas sbi sbs sca
scb ses sew sex sfr ski sky soy spa srl srt stc tab tax tci tdk tel thd tjx top trv tui tvs
ubs uno uol ups vet vig vin vip web wed win wme wow wtc wtf xin xxx xyz you yun zip бел ком
мкд мон орг рус срб укр қаз հայ קום عرب قطر كوم مصر कॉम नेट คอม ไทย ລາວ みんな ストア セール
中文网 亚马逊 天主教 我爱你 新加坡 淡马锡 诺基亚 飞利浦 ac ad ae af ag ai al am an ao aq ar
as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br bs bt bv bw by bz ca cc cd cf
cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg eh er es et eu fi fj
fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie
il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt
lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng
ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc
sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tp
tr tt tv tw tz ua ug uk um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw ελ ευ бг ею рф
გე コム 世界 中信 中国 中國 企业 佛山 信息 健康 八卦 公司 公益 台湾 台灣 商城 商店 商标 嘉里
在线 大拿 娱乐 家電 工行 广东 微博 慈善 手机 手表 招聘 政务 政府 新闻 时尚 書籍 机构 游戏
澳門 澳门 点看 珠宝 移动 网址 网店 网站 网络 联通 臺灣 谷歌 购物 通販 集团 食品 餐厅 香港
닷넷 닷컴 삼성 한국
"""

TLDS: tuple[str, ...] = tuple(_DATA.split())
