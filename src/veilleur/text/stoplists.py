"""Words that say nothing about a topic, per language: function words, the auxiliaries and
modal verbs in their common forms (« faut », « veux », « doit », « suis »), and the words of
the calendar (« lundi », « octobre »), which rise every week without being a subject.

Every entry is folded (lower-case, accents removed, ``’`` as ``'``), as
:func:`veilleur.text.fold` gives words, so that « été » and « ete » are the same stop word.
This is the one list the watch's rising terms read; extend it here.

    stopwords("fr")          the French list (a language tag such as ``fr-FR`` works too)
    stopwords("und")         every list at once: for a post whose language is unknown
    is_stopword(word, lang)  ``word`` (folded) is a stop word of ``lang``, French or English
"""

from __future__ import annotations

from functools import cache

__all__ = ["STOPWORD_LANGS", "is_stopword", "stopwords"]

_FR = """
    a ai aie aient aies ait as au aux avec avoir avons avez avais avait avions aviez avaient
    aura aurai auras aurez aurons auront aurais aurait aurions auriez auraient ayant ayons
    ayez eu eue eues eus eut eurent
    suis es est sommes etes sont etais etait etions etiez etaient serai seras sera serons
    serez seront serais serait serions seriez seraient sois soit soyons soyez soient fus fut
    furent ete etant etre
    fais fait faisons faites font faisais faisait faisaient ferai feras fera ferons ferez
    feront ferais ferait feraient fasse fassent faire faite faits
    viens vient venons venez viennent venait venu venue venus venir
    vais vas va allons allez vont allais allait allaient irai iras ira irons irez iront
    irais irait iraient aille aillent aller alle allee alles allees
    peux peut pouvons pouvez peuvent pouvais pouvait pouvaient pourrai pourras pourra
    pourrons pourrez pourront pourrais pourrait pourrions pourriez pourraient puisse
    puissent pu pouvoir
    veux veut voulons voulez veulent voulais voulait voulaient voudrai voudras voudra
    voudrons voudrez voudront voudrais voudrait voudrions voudriez voudraient veuille
    veuillent veuillez voulu vouloir
    dois doit devons devez doivent devais devait devaient devrai devras devra devrons devrez
    devront devrais devrait devrions devriez devraient doive du dus devoir
    faut fallait faudra faudrait faille fallu falloir
    sais sait savons savez savent savais savait saurai saura saurait su savoir
    dis dit disons dites disent disait dire parle parles parlent parler vois voit voient
    voir prend prennent prendre mets met mettre donne donner passe passer trouve trouver
    je j me m moi tu te t toi il elle on nous vous ils elles se s soi lui leur leurs eux y en
    le la l les un une des du de d au aux ce c cet cette ces ca cela ceci celui celle ceux
    celles ma mon mes ta ton tes sa son ses notre nos votre vos
    qui que qu quoi dont ou quel quelle quels quelles lequel laquelle lesquels
    et ou mais donc or ni car si comme quand lorsque puisque parce pourquoi comment
    dans sur sous par pour avec sans chez vers entre depuis pendant avant apres selon contre
    malgre parmi via jusqu jusque lors afin
    ne pas plus moins tres trop peu assez bien mal non oui deja encore aussi ainsi alors
    puis ensuite enfin toujours jamais souvent parfois vraiment seulement surtout meme tant
    tout tous toute toutes autre autres chaque plusieurs quelque quelques aucun aucune
    certains certaines rien personne chose choses ici voici voila cest c'est n'est qu'il
    aujourd aujourd'hui hier demain matin soir soiree nuit jour jours journee mois an ans
    annee annees semaine semaines heure heures minute minutes fois
    lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    merci bravo bonjour salut rt via amp
"""

_EN = """
    am is are was were be been being have has had having do does did doing done will would
    shall should can could may might must ought need needs let lets get gets got gotten
    i'm you're he's she's it's we're they're i've you've we've they've i'll you'll he'll
    she'll we'll they'll i'd you'd he'd she'd we'd they'd isn't aren't wasn't weren't
    don't doesn't didn't haven't hasn't hadn't won't wouldn't can't cannot couldn't
    shouldn't mustn't let's that's there's here's what's who's
    i me my mine myself you your yours yourself yourselves he him his himself she her hers
    herself it its itself we us our ours ourselves they them their theirs themselves
    the a an this that these those some any each every all both few more most other such
    no nor not only own same so than too very just also still even ever never always
    of in on at by for with about against between into through during before after above
    below to from up down out off over under again further then once here there when where
    why how what which who whom whose and but if or because as until while since via
    today tomorrow yesterday morning evening night day days week weeks month months year
    years time times hour hours minute minutes thanks thank please yes rt amp
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
"""

_DE = """
    der die das den dem des ein eine einer eines einem einen und oder aber denn sondern nicht
    kein keine keinen keiner ist sind war waren bin bist sein seid gewesen hat haben habe
    hast hatte hatten gehabt wird werden wirst wurde wurden geworden kann kannst konnen
    konnte konnten muss musst mussen musste mussten soll sollst sollen sollte sollten will
    willst wollen wollte wollten darf durfen durfte mag mochte mochten ich du er sie es wir
    ihr mich dich sich uns euch mir dir ihm ihn ihnen mein meine dein deine sein seine ihre
    unser unsere euer mit von zu zum zur auf fur in im an am aus bei nach uber unter vor
    durch gegen ohne um bis seit auch noch schon nur so wie als wenn dass was wer wo wann
    warum hier dort da dann mehr sehr heute morgen gestern jetzt immer wieder alle alles
    diese dieser dieses diesen man neue neuen neues ersten
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    januar februar marz mai juni juli august september oktober november dezember
"""

_ES = """
    el la los las lo un una unos unas y e o u pero ni que de del al a en con por para sin
    sobre entre hasta desde es son era eran fue fueron ser sido siendo estar esta estan
    estaba estoy esto estos estas este ese esa eso esos esas hay ha han he hemos habia haber
    tiene tienen tengo tener puede pueden puedo poder debe deben debo deber quiere quieren
    quiero hace hacen hacer va van voy ir se su sus le les me te nos os mi mis tu tus yo
    muy mas ya como cuando donde porque pues tambien todo todos toda todas otro otra otros
    hoy ayer manana cada aqui asi solo bien mal sino
    lunes martes miercoles jueves viernes sabado domingo
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
"""

_IT = """
    il lo la i gli le un uno una e ed o ma non di da del dello della dei degli delle al allo
    alla ai agli alle in nel nella nei nelle con su sul sulla per tra fra che chi cui sono
    sei siamo siete era erano essere stato stata ha hanno ho hai abbiamo avete avere aveva
    puo possono posso potere deve devono devo dovere vuole vogliono voglio fa fanno fare si
    ci mi ti vi ne lui lei loro suo sua suoi sue mio mia questo questa questi queste quello
    quella quelli molto piu anche come quando dove perche tutto tutti tutta oggi ieri domani
    gia ancora sempre solo cosa
    lunedi martedi mercoledi giovedi venerdi sabato domenica
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre
    dicembre
"""

_PT = """
    o a os as um uma uns umas e ou mas nem nao de do da dos das em no na nos nas num numa
    com por pelo pela para sem sobre entre ate que se e sao era eram foi foram ser sido estar
    esta estao estava tem tenho temos ter tinha pode podem posso poder deve devem devo dever
    quer querem quero faz fazem fazer vai vao vou ir seu sua seus suas ele ela eles elas eu
    voce voces nosso nossa isso isto esse essa este aquele muito mais tambem como quando onde
    porque todo todos toda todas hoje ontem amanha ja ainda sempre so bem cada
    segunda terca quarta quinta sexta sabado domingo feira
    janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro
"""

_NL = """
    de het een en of maar niet geen van in op met voor aan door bij uit naar over onder om
    tot tegen zonder is zijn was waren ben bent heeft hebben had hadden heb kan kunnen kon
    konden moet moeten moest wil willen wilde zal zullen zou zouden wordt worden werd werden
    mag mogen ik je jij hij zij we wij ze u mij me hem haar ons jullie hun mijn jouw zijn
    onze dat die dit deze er ook nog al zo als wat wie waar wanneer waarom hier daar heel
    meer veel vandaag gisteren morgen nu altijd alle alles
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
    januari februari maart april mei juni juli augustus september oktober november december
"""

_LISTS = {"fr": _FR, "en": _EN, "de": _DE, "es": _ES, "it": _IT, "pt": _PT, "nl": _NL}
STOPWORD_LANGS = tuple(_LISTS)
"""The languages with a stop list (those :func:`veilleur.text.detect_language` knows)."""


def _primary(lang: str | None) -> str:
    return (lang or "und").strip().lower().replace("_", "-").split("-", 1)[0]


@cache
def stopwords(lang: str | None) -> frozenset[str]:
    """The folded stop words of ``lang`` — every list at once for an unknown language."""
    code = _primary(lang)
    if code in _LISTS:
        return frozenset(_LISTS[code].split())
    return frozenset().union(*(stopwords(code) for code in _LISTS))


@cache
def _with_fr_en(lang: str | None) -> frozenset[str]:
    code = _primary(lang)
    if code not in _LISTS:
        return stopwords(None)
    return stopwords(code) | stopwords("fr") | stopwords("en")


def is_stopword(word: str, lang: str | None) -> bool:
    """``word`` (folded) is a stop word of ``lang`` or of French or English — the languages
    every post of a French consultant may borrow from; of any language when ``lang`` is
    unknown."""
    return word in _with_fr_en(lang)
