"""Words as the pre-filter sees them: runs of letters and digits of the lower-case text.

Shared by the pre-filter, the rule kinds that derive trigger words and the tables of
:mod:`claimlint.nlp.splits`; nothing here imports spaCy."""
from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())


# Words too common to make a good trigger: a requirement made of them is chosen last.
COMMON = frozenset({
    "a", "an", "the", "to", "of", "in", "on", "for", "and", "or", "is", "are", "be", "it", "its",
    "as", "at", "by", "with", "that", "this", "you", "your", "we", "our", "i", "my", "me", "not",
    "no", "do", "does", "did", "have", "has", "had", "can", "may", "will", "all", "any", "so",
    "very", "more", "most", "out", "up", "back", "than", "from", "other", "over", "free", "only",
    "best", "new", "one", "what", "who", "which", "their", "they", "them", "there", "here",
})
