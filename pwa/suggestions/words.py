"""Words for the lexical ranking: a profile or a goal as the stems BM25 compares.

Lower case, accents folded (énergie and energie meet), stop words of English, German, French
and Spanish left out, English stems (invests and investing meet; a German or Spanish word goes
through the English stemmer too, which at worst trims an ending, never fails).
"""

import re
import unicodedata

import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_FRENCH, STOPWORDS_GERMAN, STOPWORDS_SPANISH

WORD = re.compile(r"\w+")
#: English words that are also stop words elsewhere (German "die", "war", Spanish "son").
KEEP = {"die", "war", "man", "hat", "son", "sin", "will", "also"}
STOP_WORDS = {
    _word
    for _words in (STOPWORDS_EN, STOPWORDS_GERMAN, STOPWORDS_FRENCH, STOPWORDS_SPANISH)
    for _word in _words
} - KEEP
#: What people write around a goal ("find a", "I want to meet") that says nothing about whom.
GOAL_WORDS = {
    "find",
    "finde",
    "finding",
    "meet",
    "meeting",
    "look",
    "looking",
    "want",
    "need",
    "get",
    "talk",
    "learn",
    "someone",
    "people",
    "person",
    "buscar",
    "busco",
    "trouver",
    "rencontrer",
    "suche",
    "treffen",
    "our",
    "how",
    "who",
    "what",
    "which",
    "hire",
    "hiring",
}
#: investor, recruiter, developer, scientist, journalist.
DOER_ENDINGS = ("or", "er", "ist")
_STEMMER = Stemmer.Stemmer("english")


def folded(text):
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text):
    """The words of text as the ranking sees them, before stemming (stop words left out)."""
    return [word for word in WORD.findall(folded(text)) if word not in STOP_WORDS]


def stems(text):
    """The stems of text's words (what a profile is indexed by)."""
    return [_doer_folded(stem) for stem in _STEMMER.stemWords(words(text))]


def goal_stems(text):
    """The stems of a goal's words, less what says nothing about whom ("find", "meet")."""
    kept = [word for word in words(text) if word not in GOAL_WORDS]
    return [_doer_folded(stem) for stem in _STEMMER.stemWords(kept)]


def _doer_folded(stem):
    """The stem without the ending that names who does it, so that an investor meets someone who
    invests, a recruiter someone who recruits (the English stemmer keeps them apart)."""
    for ending in DOER_ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) >= 5:
            return stem[: -len(ending)]
    return stem


#: What people at a conference ask for, in the words the asking and the asked use (and the
#: same in German, French and Spanish): a goal with a word on the left also looks for those on
#: the right. Kept small and general; a word in no entry is looked for as it is.
RELATED = {
    "funding": "invest investor venture capital angel seed fund grant",
    "investor": "invest venture capital angel fund",
    "inversor": "investor invest venture capital angel fund",
    "investisseur": "investor invest venture capital angel fund",
    "financement": "funding investor invest venture",
    "finanzierung": "funding investor invest venture",
    "cofounder": "co-founder founder cto founding start company",
    "mitgrunder": "co-founder founder cto founding start company",
    "cofondateur": "co-founder founder cto founding start company",
    "cofundador": "co-founder founder cto founding start company",
    "technischem": "technical engineer developer cto",
    "press": "journalist reporter editor media podcast newsletter coverage pr",
    "media": "journalist reporter editor press podcast",
    "climate": "carbon energy emissions decarbonisation solar wind grid battery",
    "legal": "lawyer law counsel attorney",
    "lawyer": "legal law counsel attorney",
    "regulation": "regulatory compliance certification clearance",
    "recruiter": "recruiting talent hiring hire",
    "designer": "design ux ui",
    "sales": "revenue go-to-market account",
    "customer": "buyer buy budget",
    "mentor": "advisor",
}
_RELATED_STEMS = {}


def related_stems(goal):
    """The stems of what a goal's words are related to (RELATED), for a goal's query."""
    if not _RELATED_STEMS:
        for word, related in RELATED.items():
            _RELATED_STEMS[goal_stems(word)[0]] = goal_stems(related)
    return [extra for stem in goal_stems(goal) for extra in _RELATED_STEMS.get(stem, ())]
