"""Whom to meet, by words: BM25 over the directory's profiles (title, company, bio and the
titles of their links, such as a talk), with my goals and my card's introduction as the query.
Each suggestion says why, in my words: the goal it matched best and what in the profile did.

Plain functions over plain data (profiles as dicts), so the route, the benchmark and the tests
rank the same way; nothing here reads the database.
"""

import re
from dataclasses import dataclass

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN

from .words import WORD, folded, goal_stems, related_stems, stems

#: How much the introduction ("what I look for") counts beside a goal.
INTRO_WEIGHT = 0.5
#: How much the goals a profile matched less well count beside the best one.
OTHER_GOALS_WEIGHT = 0.25
#: The title says what someone does in a few words: it counts as much as a bio twice over.
TITLE_REPEATS = 2
CLAUSE = re.compile(r"[^.;:!?,\n]+")
REASON_LENGTH = 90


@dataclass
class Suggestion:
    """One profile worth meeting, where it ranked among the directory (index) and why."""

    index: int
    score: float
    reason: str


def profile_text(profile, title_repeats=TITLE_REPEATS):
    """A profile's title (title_repeats times), company, bio and the titles of its links."""
    links = " ".join(link.get("title") or "" for link in profile.get("links") or [])
    title = profile.get("title") or ""
    parts = [title] * title_repeats + [
        profile.get("company") or "",
        profile.get("bio") or "",
        links,
    ]
    return " ".join(part for part in parts if part)


def profile_stems(profile):
    """The stems a profile is found by (the title repeated, see TITLE_REPEATS)."""
    return stems(profile_text(profile))


class Ranking:
    """What the lexical and the semantic rankings share: how goals and the introduction add up
    and how a reason is said. A ranking gives each profile a score per goal (goal_scores) and
    for the introduction (intro_scores); fallback: a reason may quote the bio's first clause
    when none of its words matched (the semantic ranking matches meaning, not words)."""

    profiles: list
    fallback = False

    def goal_scores(self, goal):
        raise NotImplementedError

    def intro_scores(self, intro):
        raise NotImplementedError

    def rank(self, goals, intro=None, limit=20, excluded=()):
        """The best profiles for goals (texts) and intro, best first, leaving out the indexes in
        excluded and those nothing matched; each with the reason in the user's words."""
        if not self.profiles:
            return []
        per_goal = np.array([self.goal_scores(goal) for goal in goals])
        best = per_goal.max(axis=0)
        total = best + OTHER_GOALS_WEIGHT * (per_goal.sum(axis=0) - best)
        if intro:
            total = total + INTRO_WEIGHT * self.intro_scores(intro)
        if excluded:
            total[list(excluded)] = 0
        order = top(total, limit)
        return [
            Suggestion(int(i), round(float(total[i]), 4), self._reason(i, goals, per_goal, intro))
            for i in order
        ]

    def _reason(self, index, goals, per_goal, intro):
        profile, fallback = self.profiles[index], self.fallback
        best = int(per_goal[:, index].argmax())
        if per_goal[best, index] > 0:
            goal = goals[best]
            evidence = describe(profile, goal_stems(goal), related_stems(goal), fallback)
            return reason_for_goal(goal, evidence)
        return reason_for_intro(describe(profile, stems(intro), fallback=fallback))


class LexicalIndex(Ranking):
    """The BM25 index of one directory: built once, asked many times."""

    def __init__(self, profiles):
        self.profiles = list(profiles)
        self.bm25 = bm25s.BM25()
        corpus = [profile_stems(p) for p in self.profiles]
        #: False when no profile has a word to be found by (names only): nothing is indexed.
        self.searchable = any(corpus)
        if self.searchable:
            self.bm25.index(corpus, show_progress=False)

    def scores(self, query):
        """Each profile's BM25 score for the query's stems (zeros when nothing matches)."""
        ids = self.bm25.get_tokens_ids(query) if self.searchable else []
        if not ids:
            return np.zeros(len(self.profiles), dtype=np.float32)
        return self.bm25.get_scores(ids)

    def goal_scores(self, goal):
        return self.scores(query_of(goal))

    def intro_scores(self, intro):
        return self.scores(stems(intro))


def reason_for_goal(goal, evidence):
    """The reason a profile matched a goal: "Matches your goal '<goal>': <evidence>"."""
    return without_direction_marks(f"Matches your goal '{goal.strip()}': {evidence}")


def reason_for_intro(evidence):
    """The reason a profile matched the introduction only."""
    return without_direction_marks(f"Matches what you look for: {evidence}")


#: Characters that set the direction of the text after them (overrides, embeddings, isolates).
DIRECTION_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def without_direction_marks(text):
    """A reason quotes what others typed (a goal, a bio) inside a sentence of ours, and is kept
    as a research target's why: a right-to-left override in a quote would reverse the rest of
    the sentence wherever it is shown, so quotes lose their direction marks."""
    return text.translate(DIRECTION_MARKS)


def query_of(goal):
    """A goal's stems and those of the words related to them (words.RELATED)."""
    return goal_stems(goal) + related_stems(goal)


def top(total, limit):
    """Indexes of the limit highest positive scores, best first (ties in directory order)."""
    candidates = np.flatnonzero(total > 0)
    if len(candidates) > limit:
        cut = np.argpartition(-total[candidates], limit - 1)[:limit]
        candidates = candidates[cut]
    return sorted(candidates.tolist(), key=lambda i: (-total[i], i))


def describe(profile, query, related=(), fallback=False):
    """Who someone is and what of their profile matched: "Partner at Seedcamp, invests in B2B
    SaaS" (their title and company, then the clause of their bio or talks that matched most,
    the query's own words counting twice as much as the related ones; with fallback, the bio's
    first clause when none matched a word, as the semantic ranking matches meaning, not words)."""
    own, others = set(query), set(related) - set(query)
    who = _who(profile)
    bio = _clauses(profile.get("bio"))
    clauses = bio + [c for link in profile.get("links") or [] for c in _clauses(link.get("title"))]
    hits = []
    for clause in clauses:
        found = set(stems(clause))
        weight = 2 * len(own & found) + len(others & found)
        if weight:
            hits.append((weight, -len(clause), clause))
    if hits:
        clause = max(hits)[2]
    elif fallback and bio:
        clause = bio[0]
    else:
        return who or profile.get("name") or ""
    title = profile.get("title")
    if not who or (title and folded(title) in folded(clause)):
        return _shortened(clause)  # the bio says who they are already
    return f"{who}, {_shortened(_sentence_inside(clause))}"


def _clauses(text):
    return [clause.strip() for clause in CLAUSE.findall(text or "") if clause.strip()]


#: The first word of a bio's sentence that reads as lower case after "<title> at <company>, ".
PLAIN_STARTS = {"we", "our", "my", "now", "currently", "formerly", "previously", "ex"}


def _sentence_inside(clause):
    """A clause that starts a sentence ("We invest in SaaS") as it reads after a comma ("we
    invest in SaaS"), when its first word is a plain one (we, building, ...), never a name."""
    first, _, rest = clause.partition(" ")
    plain = first.istitle() and (first.lower() in PLAIN_STARTS or first.lower().endswith("ing"))
    return f"{first.lower()} {rest}".rstrip() if plain else clause


def _who(profile):
    title, company = profile.get("title"), profile.get("company")
    if title and company:
        return f"{title} at {company}"
    return title or company or ""


def _shortened(text):
    if len(text) <= REASON_LENGTH:
        return text
    return text[: REASON_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def keyword_overlap(profiles, goals, limit=20):
    """The benchmark's baseline: profiles by how many distinct words of the goals they contain
    (lower case, English stop words left out; no stems, no weights), ties in directory order."""
    stop = set(STOPWORDS_EN)
    wanted = [{w for w in WORD.findall(goal.lower()) if w not in stop} for goal in goals]
    scored = []
    for index, profile in enumerate(profiles):
        have = set(WORD.findall(profile_text(profile, title_repeats=1).lower()))
        score = sum(len(goal & have) for goal in wanted)
        if score:
            scored.append((-score, index))
    return [index for _, index in sorted(scored)[:limit]]
