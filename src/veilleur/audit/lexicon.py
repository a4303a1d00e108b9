"""Word lists the audit's scorers share: function words to leave out of topics, and the
Snowball stemmers that make « usinage », « usinées » and « usiner » one topic."""

from __future__ import annotations

from functools import cache, lru_cache

import Stemmer

from veilleur.audit.words import word_set

STOPWORDS: dict[str, frozenset[str]] = {
    "fr": word_set(
        """a ai aie ainsi alors apres assez au aucun aujourd aujourd'hui aussi autre autres
        aux avant avec avez avoir avons bien bon c ca car ce ceci cela celle celles celui
        cependant ces cet cette ceux chaque chez ci comme comment d dans de depuis des deja
        donc dont du elle elles en encore entre est et etaient etait ete etre eu eux fait
        faire fois font grand ici il ils j je jusqu l la le les leur leurs lors lui m ma
        mais me meme mes moi moins mon n ne ni non nos notre nous on ont ou par parce pas
        peu peut plus plusieurs pour pourquoi quand que quel quelle quelles quels qui quoi
        s sa sans se selon ses seulement si sien son sont sous suis sur t ta tant te tes
        toi ton tous tout toute toutes tres tu un une unes uns vers via voici voila vos
        votre vous y a-t-il c'est n'est qu va vont sera seront etes cet tot tard ete
        jour jours mois an ans annee annees semaine semaines fois heure heures minute
        minutes merci bravo hier demain matin soir"""
    ),
    "en": word_set(
        """a about above after again against all am an and any are as at be because been
        before being below between both but by can could did do does doing down during
        each few for from further had has have having he her here hers herself him himself
        his how i if in into is it its itself just me more most my myself no nor not now
        of off on once only or other our ours ourselves out over own same she should so
        some such than that the their theirs them themselves then there these they this
        those through to too under until up very was we were what when where which while
        who whom why will with would you your yours yourself yourselves us get got also
        let lets it's we're you're don't can't day days week weeks month months year
        years time times thanks today tomorrow yesterday morning evening"""
    ),
}


@cache
def stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french" if lang == "fr" else "english")


@lru_cache(maxsize=200_000)
def stem(folded: str, lang: str) -> str:
    """The Snowball stem of a folded (lower-case, unaccented) word."""
    return str(stemmer(lang).stemWord(folded))
