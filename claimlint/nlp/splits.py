"""Tokens that spaCy's English tokenizer cuts out of a longer written word.

"cannot" is written as one word and tokenized as "can" + "not"; "isn't" is "is" + "n't"; "5mg" is
"5" + "mg". A token pattern that asks for "not" therefore matches text whose words, as the
pre-filter sees them (runs of letters and digits: "cannot", "isn", "5mg"), do not include "not".
The pre-filter also looks for the written words of :data:`WRITTEN`, and never relies on a unit or
a number.

The tables are data, so that the pre-filter never imports spaCy. ``python -m claimlint.nlp.splits``
prints them as the installed spaCy defines them; tests/test_prefilter.py fails when they differ.
"""
from __future__ import annotations

import re


def build() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """(WRITTEN, UNITS) from the installed spaCy's English tokenizer."""
    import spacy
    from spacy.attrs import ORTH
    from spacy.lang.char_classes import _units

    from ..words import words_of

    written: dict[str, set[str]] = {}
    for text, pieces in spacy.blank("en").tokenizer.rules.items():
        if len(pieces) < 2:
            continue
        whole = words_of(text)
        for piece in pieces:
            for w in words_of(piece.get(ORTH, "")):
                if w not in whole:
                    written.setdefault(w, set()).update(x for x in whole if w in x)
    units = {u.lower() for u in _units.split() if re.fullmatch(r"[A-Za-z]+", u)}
    return {k: frozenset(v) for k, v in written.items()}, frozenset(units)


def source(written: dict[str, frozenset[str]], units: frozenset[str]) -> str:
    lines = ["# Units spaCy splits off a number (\"5mg\", \"10in\").",
             "UNITS = frozenset(" + repr(sorted(units)) + ")",
             "",
             "# token -> the written words it is cut out of",
             "WRITTEN: dict[str, frozenset[str]] = {"]
    for k, v in sorted(written.items()):
        lines.append(f"    {k!r}: frozenset({sorted(v)!r}),")
    lines.append("}")
    return "\n".join(lines) + "\n"


# Units spaCy splits off a number ("5mg", "10in").
UNITS = frozenset(['cm', 'dm', 'ft', 'g', 'gb', 'ha', 'hpa', 'in', 'k', 'kb', 'kg', 'km', 'kmh', 'lb', 'm', 'mb', 'mbar', 'mg', 'mm', 'mph', 'nm', 'oz', 'pa', 't', 'tb', 'yd'])

# token -> the written words it is cut out of
WRITTEN: dict[str, frozenset[str]] = {
    '1': frozenset(['1a', '1am', '1p', '1pm']),
    '10': frozenset(['10a', '10am', '10p', '10pm']),
    '11': frozenset(['11a', '11am', '11p', '11pm']),
    '12': frozenset(['12a', '12am', '12p', '12pm']),
    '2': frozenset(['2a', '2am', '2p', '2pm']),
    '3': frozenset(['3a', '3am', '3p', '3pm']),
    '4': frozenset(['4a', '4am', '4p', '4pm']),
    '5': frozenset(['5a', '5am', '5p', '5pm']),
    '6': frozenset(['6a', '6am', '6p', '6pm']),
    '7': frozenset(['7a', '7am', '7p', '7pm']),
    '8': frozenset(['8a', '8am', '8p', '8pm']),
    '9': frozenset(['9a', '9am', '9p', '9pm']),
    'a': frozenset([
        '10a', '11a', '12a', '1a', '2a', '3a', '4a', '5a', '6a', '7a', '8a', '9a', 'ima', 'ma'
    ]),
    'ai': frozenset(['ain', 'aint']),
    'all': frozenset(['yall']),
    'am': frozenset([
        '10am', '11am', '12am', '1am', '2am', '3am', '4am', '5am', '6am', '7am', '8am', '9am'
    ]),
    'are': frozenset(['aren', 'arent']),
    'ca': frozenset(['can', 'cant', 'cantve']),
    'can': frozenset(['cannot']),
    'could': frozenset(['couldn', 'couldnt', 'couldntve', 'couldve']),
    'd': frozenset([
        'hed', 'hedve', 'howd', 'howdve', 'id', 'idve', 'itd', 'itdve', 'shedve', 'thatd',
        'thatdve', 'thered', 'theredve', 'thesed', 'thesedve', 'theyd', 'theydve', 'thisd',
        'thisdve', 'thosed', 'thosedve', 'wed', 'wedve', 'whatd', 'whatdve', 'whend', 'whendve',
        'whered', 'wheredve', 'whod', 'whodve', 'whyd', 'whydve', 'youd', 'youdve'
    ]),
    'dare': frozenset(['daren', 'darent']),
    'did': frozenset(['didn', 'didnt', 'didntve']),
    'do': frozenset(['don', 'dont', 'dontve']),
    'does': frozenset(['doesn', 'doesnt', 'doesntve']),
    'gon': frozenset(['gonna']),
    'got': frozenset(['gotta']),
    'had': frozenset(['hadn', 'hadnt', 'hadntve']),
    'has': frozenset(['hasn', 'hasnt']),
    'have': frozenset(['haven', 'havent']),
    'he': frozenset(['hed', 'hedve', 'hellve', 'hes']),
    'how': frozenset(['howd', 'howdve', 'howll', 'howllve', 'howre', 'hows', 'howve']),
    'i': frozenset(['id', 'idve', 'illve', 'im', 'ima', 'ive']),
    'is': frozenset(['isn', 'isnt']),
    'it': frozenset(['itd', 'itdve', 'itll', 'itllve']),
    'll': frozenset([
        'hellve', 'howll', 'howllve', 'illve', 'itll', 'itllve', 'shellve', 'thatll',
        'thatllve', 'therell', 'therellve', 'thesell', 'thesellve', 'theyll', 'theyllve',
        'thisll', 'thisllve', 'thosell', 'thosellve', 'wellve', 'whatll', 'whatllve', 'whenll',
        'whenllve', 'wherell', 'wherellve', 'wholl', 'whollve', 'whyll', 'whyllve', 'youll',
        'youllve'
    ]),
    'm': frozenset(['im', 'ima', 'ma', 'mon']),
    'may': frozenset(['mayn', 'maynt', 'mayntve']),
    'might': frozenset(['mightn', 'mightnt', 'mightntve', 'mightve']),
    'must': frozenset(['mustn', 'mustnt', 'mustntve', 'mustve']),
    'n': frozenset([
        'ain', 'aren', 'can', 'couldn', 'daren', 'didn', 'doesn', 'don', 'hadn', 'hasn',
        'haven', 'isn', 'mayn', 'mightn', 'mustn', 'needn', 'oughtn', 'shan', 'shouldn', 'wasn',
        'weren', 'won', 'wouldn'
    ]),
    'na': frozenset(['gonna']),
    'need': frozenset(['needn', 'neednt', 'needntve']),
    'not': frozenset(['cannot', 'notve']),
    'nt': frozenset([
        'aint', 'arent', 'cant', 'cantve', 'couldnt', 'couldntve', 'darent', 'didnt', 'didntve',
        'doesnt', 'doesntve', 'dont', 'dontve', 'hadnt', 'hadntve', 'hasnt', 'havent', 'isnt',
        'maynt', 'mayntve', 'mightnt', 'mightntve', 'mustnt', 'mustntve', 'neednt', 'needntve',
        'oughtnt', 'oughtntve', 'shant', 'shantve', 'shouldnt', 'shouldntve', 'wasnt', 'werent',
        'wont', 'wontve', 'wouldnt', 'wouldntve'
    ]),
    'on': frozenset(['mon']),
    'ought': frozenset(['oughtn', 'oughtnt', 'oughtntve']),
    'p': frozenset(['10p', '11p', '12p', '1p', '2p', '3p', '4p', '5p', '6p', '7p', '8p', '9p']),
    'pm': frozenset([
        '10pm', '11pm', '12pm', '1pm', '2pm', '3pm', '4pm', '5pm', '6pm', '7pm', '8pm', '9pm'
    ]),
    're': frozenset([
        'howre', 'therere', 'thesere', 'theyre', 'thosere', 'whatre', 'whenre', 'wherere',
        'whyre', 'youre'
    ]),
    's': frozenset([
        'hes', 'hows', 'shes', 'thats', 'theres', 'thiss', 'whats', 'whens', 'wheres', 'whos',
        'whys'
    ]),
    'sha': frozenset(['shan', 'shant', 'shantve']),
    'she': frozenset(['shedve', 'shellve', 'shes']),
    'should': frozenset(['shouldn', 'shouldnt', 'shouldntve', 'shouldve']),
    'ta': frozenset(['gotta']),
    'that': frozenset(['thatd', 'thatdve', 'thatll', 'thatllve', 'thats']),
    'there': frozenset([
        'thered', 'theredve', 'therell', 'therellve', 'therere', 'theres', 'thereve'
    ]),
    'these': frozenset(['thesed', 'thesedve', 'thesell', 'thesellve', 'thesere', 'theseve']),
    'they': frozenset(['theyd', 'theydve', 'theyll', 'theyllve', 'theyre', 'theyve']),
    'this': frozenset(['thisd', 'thisdve', 'thisll', 'thisllve', 'thiss']),
    'those': frozenset(['thosed', 'thosedve', 'thosell', 'thosellve', 'thosere', 'thoseve']),
    've': frozenset([
        'cantve', 'couldntve', 'couldve', 'didntve', 'doesntve', 'dontve', 'hadntve', 'hedve',
        'hellve', 'howdve', 'howllve', 'howve', 'idve', 'illve', 'itdve', 'itllve', 'ive',
        'mayntve', 'mightntve', 'mightve', 'mustntve', 'mustve', 'needntve', 'notve',
        'oughtntve', 'shantve', 'shedve', 'shellve', 'shouldntve', 'shouldve', 'thatdve',
        'thatllve', 'theredve', 'therellve', 'thereve', 'thesedve', 'thesellve', 'theseve',
        'theydve', 'theyllve', 'theyve', 'thisdve', 'thisllve', 'thosedve', 'thosellve',
        'thoseve', 'wedve', 'wellve', 'weve', 'whatdve', 'whatllve', 'whatve', 'whendve',
        'whenllve', 'whenve', 'wheredve', 'wherellve', 'whereve', 'whodve', 'whollve', 'whove',
        'whydve', 'whyllve', 'whyve', 'wontve', 'wouldntve', 'wouldve', 'youdve', 'youllve',
        'youve'
    ]),
    'was': frozenset(['wasn', 'wasnt']),
    'we': frozenset(['wed', 'wedve', 'wellve', 'weve']),
    'were': frozenset(['weren', 'werent']),
    'what': frozenset(['whatd', 'whatdve', 'whatll', 'whatllve', 'whatre', 'whats', 'whatve']),
    'when': frozenset(['whend', 'whendve', 'whenll', 'whenllve', 'whenre', 'whens', 'whenve']),
    'where': frozenset([
        'whered', 'wheredve', 'wherell', 'wherellve', 'wherere', 'wheres', 'whereve'
    ]),
    'who': frozenset(['whod', 'whodve', 'wholl', 'whollve', 'whos', 'whove']),
    'why': frozenset(['whyd', 'whydve', 'whyll', 'whyllve', 'whyre', 'whys', 'whyve']),
    'wo': frozenset(['won', 'wont', 'wontve']),
    'would': frozenset(['wouldn', 'wouldnt', 'wouldntve', 'wouldve']),
    'y': frozenset(['yall']),
    'you': frozenset(['youd', 'youdve', 'youll', 'youllve', 'youre', 'youve']),
}


if __name__ == "__main__":
    print(source(*build()), end="")
