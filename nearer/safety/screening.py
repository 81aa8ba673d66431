"""Rules-based screening of free text for suicide and self-harm risk.

``screen(text)`` returns a :class:`ScreenResult` whose ``level`` is ``"none"``, ``"concern"`` or
``"urgent"``, with the reasons that led there. It is pure Python (regular expressions compiled at
import), deterministic, and never logs or raises with the text it was given.

How it works, in short (details and limits: ``docs/dev/screener.md``):

1. The text is normalised for matching: Unicode accents are stripped, case is folded, apostrophes
   are dropped ("I'm" -> "im", "don't" -> "dont"), hyphens become spaces, runs of three or more of
   the same letter shrink to one ("dieee" -> "die"). An index map keeps every normalised character
   tied to its place in the original, so reasons quote the person's own words.
2. Each rule is a compiled pattern with a name such as ``urgent.intent`` or ``concern.burden``.
3. A first-person match that is negated just before it ("I'm *not* going to kill myself",
   "*no* me voy a hacer daño") is kept, but lowered to ``concern.negated_mention``: recall first.
4. An attempt described as long ago ("years ago", "cuando tenía 15") is lowered to
   ``concern.past_attempt``. A self-harm match in a sentence that names an everyday accident
   ("cortando cebolla", "on the kettle") is dropped unless the accident is denied.
5. Clusters read across the entry: two different farewell cues (one of them strong), or one next to
   thoughts of death, make ``urgent.goodbye``; a decision or a time ("I've decided.") next to such
   thoughts or to means at hand makes ``urgent.intent``.
6. Overlapping matches of a lower rank than another match are dropped; the level is the highest
   remaining one.

For speed, each rule has a gate derived from its own pattern (see "Gates" below); a gate only skips
a rule that could not have matched, so it never changes a result.

The screener misses things and flags some harmless sentences. It is one signal among several and
never the thing that decides whether crisis help is visible: that help is shown everywhere.
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from . import gates as _gates
from . import lexicons as _lex
from . import model as _model
from . import typos as _typos

__all__ = ["CONSTRUCTS", "LEVELS", "Reason", "ScreenResult", "prepare", "screen", "screen_rules"]

_log = logging.getLogger(__name__)

Level = Literal["none", "concern", "urgent"]

# Rule name -> the clinical construct it reads (plain words, safe to show a therapist).
CONSTRUCTS: dict[str, str] = {
    "urgent.intent": "intent",
    "urgent.plan_method": "method and plan",
    "urgent.preparation": "preparatory acts",
    "urgent.recent_attempt": "attempt or overdose taken",
    "urgent.self_harm_recent": "self-harm",
    "urgent.goodbye": "farewell",
    "urgent.model": "urgent wording (statistical model)",
    "concern.wish_dead": "wish to be dead",
    "concern.burden": "feeling a burden",
    "concern.no_reason_to_live": "no reason to live",
    "concern.thoughts_of_death": "thoughts of suicide or death",
    "concern.self_harm_urge": "self-harm urge",
    "concern.cant_go_on": "cannot go on",
    "concern.negated_mention": "denied or negated mention",
    "concern.past_attempt": "past attempt",
    "concern.mention": "mention of someone else or the topic",
    "concern.model": "risk wording (statistical model)",
}
LEVELS: tuple[Level, ...] = ("none", "concern", "urgent")
_RANK = {"none": 0, "concern": 1, "urgent": 2}


@dataclass(frozen=True, slots=True)
class Reason:
    """One matched rule.

    ``phrase`` is the span of the person's original text that matched and ``start``/``end`` are its
    offsets in that text. The ``repr`` hides the phrase so that a reason printed into a log or a
    traceback never carries what the person wrote.
    """

    rule: str
    phrase: str = field(repr=False)
    start: int
    end: int

    @property
    def level(self) -> Level:
        return "urgent" if self.rule.startswith("urgent.") else "concern"

    @property
    def construct(self) -> str:
        """The clinical construct this rule reads (``CONSTRUCTS``), for alert wording."""
        return CONSTRUCTS.get(self.rule, "other")

    def __repr__(self) -> str:
        return f"Reason(rule={self.rule!r}, span=({self.start}, {self.end}))"


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """What :func:`screen` found.

    ``language_hint`` is ``"en"``, ``"es"`` or ``None`` (too little text to tell); it is a guess from
    common words, meant for choosing which crisis wording to show first, nothing more.
    """

    level: Level
    reasons: tuple[Reason, ...] = ()
    language_hint: str | None = None

    @property
    def flagged(self) -> bool:
        return self.level != "none"

    @property
    def rules(self) -> frozenset[str]:
        return frozenset(r.rule for r in self.reasons)

    def __repr__(self) -> str:
        return (
            f"ScreenResult(level={self.level!r}, rules={sorted(self.rules)!r}, "
            f"language_hint={self.language_hint!r})"
        )


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_DROP = frozenset("'\u2019\u2018\u02bc\u0060\u00b4")  # apostrophes and look-alikes
_TO_SPACE = frozenset("-_\u2010\u2011\u2012\u2013\u2014/")


_FOLD_CACHE: dict[str, str] = {}
_ELONGATED = re.compile(r"([^\W\d_])\1\1")


def _fold(ch: str) -> str:
    """Matching form of one character: no accents, case folded; cached, as text repeats characters."""
    out = _FOLD_CACHE.get(ch)
    if out is None:
        if ch in _DROP:
            out = ""
        elif ch in _TO_SPACE or ch.isspace():
            out = " "
        else:
            out = "".join(d for d in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(d)).casefold()
            out = "".join(" " if c.isspace() else c for c in out)
        if len(_FOLD_CACHE) < 20_000:
            _FOLD_CACHE[ch] = out
    return out


def _normalise(text: str) -> tuple[str, list[int]]:
    """Return the matching form of ``text`` and, for each of its characters, the original index."""
    chars: list[str] = []
    index: list[int] = []
    prev_space = True
    for i, ch in enumerate(text):
        folded = _fold(ch)
        if len(folded) == 1:
            if folded == " ":
                if prev_space:
                    continue
                prev_space = True
            else:
                prev_space = False
            chars.append(folded)
            index.append(i)
            continue
        for c in folded:
            if c == " ":
                if prev_space:
                    continue
                prev_space = True
            else:
                prev_space = False
            chars.append(c)
            index.append(i)
    norm = "".join(chars)
    if not _ELONGATED.search(norm):
        return norm, index
    # Shrink elongated letters ("killll", "dieeee", "byeee") to one: no English or Spanish word
    # has three of the same letter in a row.
    out_c: list[str] = []
    out_i: list[int] = []
    n = len(chars)
    k = 0
    while k < n:
        c = chars[k]
        j = k + 1
        while j < n and chars[j] == c:
            j += 1
        if j - k >= 3 and c.isalpha():
            out_c.append(c)
            out_i.append(index[k])
        else:
            out_c.extend(chars[k:j])
            out_i.extend(index[k:j])
        k = j
    return "".join(out_c), out_i


# --------------------------------------------------------------------------------------------
# Building blocks (all written against the normalised form: lower case, no accents, no apostrophes)
# --------------------------------------------------------------------------------------------

_SELF = r"(?:my ?self|myslef|myelf|meself|mysef)"
_KILL = r"(?:kill|kil|kll)"
_SUICIDE = (
    r"(?:suicid\w*|suic?ide|sucide|suicde|suiside|suiscide|sucid|suecide|suicude|sewer ?slide|"
    r"sewerslid\w*|s\*{1,3}icide)"
)
# "Kill myself" and its many spellings and stand-ins, first person only.
_KILL_SELF = (
    rf"(?:{_KILL}(?:ing|ed|s)? {_SELF}|kms|unaliv(?:e|ed|es|ing) {_SELF}|off(?:ing|ed)? {_SELF}|end(?:ing)? {_SELF}|"
    rf"end(?:ing)? my (?:own )?life|tak(?:e|ing) my (?:own )?life|commit(?:ting)? {_SUICIDE}|"
    rf"end(?:ing)? (?:it|everything|things) (?:all|for good|once and for all)|end(?:ing)? it all|"
    rf"hang(?:ing)? {_SELF}|do it for real)"
)
_MODAL = (
    r"(?:going to|goin to|gonna|gunna|gona|finna|imma|ima|ill|i will|i wil|i shall|will|wanna|"
    r"wana|want to|wan to|about to|plan(?:ning)? (?:to|on)|decided to|ready to|gotta|have to|"
    r"need to|tonight i|today i|intend to|am going to)"
)
_FILLER = r"(?: (?:just|really|finally|actually|fucking|fking|literally|honestly|go|gonna|to|and|seriously)){0,4}"
_TIME = (
    r"(?:tonight|today|tomorrow|right now|now|this (?:evening|weekend|week|morning|afternoon)|"
    r"when (?:everyone|they|he|she) (?:is|are|s) (?:asleep|gone|out))"
)
_PILLS = (
    r"(?:pills?|tablets?|meds|medication|medicine|sleeping pills|painkillers|paracetamol|tylenol|"
    r"acetaminophen|ibuprofen|advil|aspirin|antidepressants|sleeping tablets|xanax|benzos|insulin|"
    r"opioids|oxy|oxycodone|codeine|tramadol|lithium)"
)
# Means someone may get ready: "the blades are ready", "I've got the rope ready".
_MEANS = (
    rf"(?:{_PILLS}|razor blades?|razors?|rope|noose|belt|cord|gun|pistol|knife|cuchillas?|pastillas|"
    r"cuerda|soga|pistola|navaja)"
)
# Said of oneself, "better off without me" in all its shapes (subject-agnostic on purpose).
_BETTER = (
    r"(?:better|better off|happier|fine|okay|ok|alright|all right|lighter|easier|relieved|freer|calmer|"
    r"more relaxed|at peace|safer)"
)
_WITHOUT_ME = (
    r"(?:without (?:a|an) (?:mum|mom|mother|dad|father|wife|husband|partner|girlfriend|boyfriend|person|woman|man|"
    r"friend|daughter|son) like me|without (?:someone|somebody|people|anyone) like me|"
    r"without me(?! (?:for|at|this|tonight|tomorrow|on|there|while|today|until|till|next|to|in (?:the|a) "
    r"(?:room|car|meeting|photo|picture)))|with me (?:gone|out of the (?:way|picture)|dead)|"
    r"if i (?:was|were|just|simply|d|had) ?(?:gone|dead|disappeared|died|never existed|never been born|"
    r"was never born|left for good|out of the picture)|"
    r"if i (?:wasnt|werent|was not|were not|didnt|did not) (?:here|around|alive|in the picture|exist|"
    r"in (?:their|his|her|the|your) (?:lives?|life|way|picture)|wake up)|once im gone|when im gone|after im gone)"
)
_ES_MEJOR = (
    r"(?:mejor|mejores|mas felices|mas feliz|mas tranquil[oa]s?|tranquil[oa]s?|bien|en paz|aliviad[oa]s?|"
    r"mas libres?|mas a gusto)"
)
_ES_SIN_MI = (
    r"(?:sin mi|si (?:yo )?(?:ya )?(?:no estuviera|no existiera|no estuviese|desapareciera|me muriera|me fuera para "
    r"siempre|no hubiera nacido|dejara de existir))"
)
_PEOPLE = (
    r"(?:them|him|her|everyone|everybody|you|my (?:kids|children|son|daughter|family|mom|mum|dad|"
    r"parents|partner|husband|wife|boyfriend|girlfriend|sister|brother|friends))"
)
# "killing myself at work", "killing myself trying to keep him happy": overwork, not risk.
_OVERWORK = r"(?! (?:at|over|for|with|trying|working|to (?:get|make|finish|keep|please)|studying|at work))"
# Spanish
_ES_SELF_KILL = (
    r"(?:matarme|suicidarme|quitarme la vida|acabar con (?:mi vida|todo)|terminar con (?:mi vida|todo)|"
    r"ahorcarme|colgarme|tirarme (?:de|del|desde|por) \w+|desaparecer para siempre)"
)
_ES_PILLS = (
    r"(?:pastillas|pildoras|medicinas|medicamentos|tabletas|calmantes|somniferos|antidepresivos|insulina|"
    r"ansioliticos|tranquilizantes)"
)
_IDIOM_DEATH_ES = (
    r"(?! de (?:risa|verguenza|hambre|sueno|frio|calor|envidia|ganas|aburrimiento|cansancio|amor|"
    r"nervios|la risa|pena ajena|la verguenza|la pena|los nervios|la emocion))"
)
# "cut myself some slack", "cut myself off", "hurt myself at the gym", "burned myself cooking"...
_NOT_SELF_HARM = (
    r"(?! off| out| short| some| a (?:piece|slice|bit)| shaving| cooking| chopping| on | at the| while| by accident"
    r"| accidentally| when i fell| playing| running| lifting| skiing| at work| with the (?:bread|kitchen|paper)"
    r"| with a (?:paper|kitchen)| free| loose| in on| into)"
)
_IDIOM_DEATH_EN = (
    r"(?! (?:of|from) (?:embarrassment|shame|laughter|laughing|boredom|cringe|cuteness|jealousy)"
    r"| laughing| for (?:that|this|a|one|some)| my (?:hair|beard|roots|eyebrows)| it (?:red|blue|black|pink|green))"
)



# Everyday wording used to prefer rare strings as gate factors (it only affects speed; see gates.py).
_COMMON_SAMPLE = " ".join(
    (
        "i feel so alone next to him and i dont know what to say. we had a fight about the dishes again and it",
        "turned into everything. the kids were loud, work was awful, i am so tired and i just want to sleep. he",
        "said he will be home late tonight, maybe tomorrow. we talked a bit after dinner and it was okay, not great.",
        "i want to try the listening exercise this weekend with her. i took my meds this morning and went for a",
        "walk. my back hurts. i have to get up early, im going to bed now. she didnt call when she said she would",
        "and i felt like it was always going to be like this. there was nothing on tv so we watched the whole",
        "series again. before he left for work he kissed me on the head, which was nice. i wanted to hold his hand",
        "but i didnt. it feels like we only talk about the house, the car, the bills, the school run, his mother.",
        "i got home late, the train was delayed and the commute took forever. whatever, tomorrow is another day.",
        "honestly i think we both need a holiday. my friend told me to be kinder to myself. i cried in the car,",
        "then i made tea. we laughed at the dog. i could have handled the argument better. what should i cook",
        "tonight? i have been thinking about what my therapist said last week about needing space. im dead tired",
        "and this job is killing me, but i got through it. the weather was grey and everyone was grumpy.",
        "me siento sola aunque este a su lado. hoy discutimos otra vez por el dinero y no se que hacer con todo",
        "esto. estoy cansada, el trabajo fue horrible y llegue tarde a casa. manana quiero hablar con el de lo",
        "que paso, me gustaria salir a cenar los dos. cuando llego a casa no me mira y me duele. antes hablabamos",
        "mas, ahora solo de los ninos y de las cuentas. me muero de sueno, me voy a dormir temprano. creo que",
        "tenemos que ir a terapia de pareja. mi madre me llamo y le conte todo. el fin de semana fuimos al parque",
        "con el perro y estuvo bien. tengo mucho trabajo esta semana pero intentare cuidarme un poco mas.",
    )
)


_USE_GATES = True  # tests switch this off to check that gates never change a result


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    # False when the pattern carries its own negation ("I don't want to live") or is about others.
    check_negation: bool = True
    # True for attempt rules: "years ago" lowers them to concern.past_attempt.
    historical: bool = False
    # Strings one of which every match contains (None: always run the rule); see gates.py.
    gate: frozenset[str] | None = None


def _r(name: str, *alternatives: str, check_negation: bool = True, historical: bool = False) -> tuple[_Rule, ...]:
    """One rule per alternative, all under ``name``, each with its own gate; overlapping hits merge later."""
    return tuple(
        _Rule(name, pattern, check_negation, historical, _gates.gate_for(pattern.pattern, _COMMON_SAMPLE))
        for pattern in (re.compile(rf"\b(?:{a})\b") for a in alternatives)
    )


# --------------------------------------------------------------------------------------------
# Construct rules built from the lexicons (nearer/safety/lexicon/*.yaml)
# --------------------------------------------------------------------------------------------
#
# These read a clinical construct with open vocabularies and free word order: a medicine from the
# lexicon a few words after a verb of taking and a count ("took like 30 of my sleeping pills"), a
# height or a vehicle after a Spanish verb of throwing oneself in any of its regional forms. The
# rule names are the screener's usual ones; ``CONSTRUCTS`` maps each to the construct it reads.

_MED = _lex.alternation(
    w for group in _lex.load("medications") if group not in ("alcohol", "other") for w in _lex.words("medications", group)
)
_MED_WORD = rf"(?:{_MED}|(?:\w+ )?{_lex.alternation(_lex.words('medications', 'generic'))})"
_HEIGHT_EN = _lex.alternation(_lex.words("means", "heights", "en"))
_HEIGHT_ES = _lex.alternation(_lex.words("means", "heights", "es"))
_TRACKS_ES = _lex.alternation(_lex.words("means", "tracks_vehicles", "es"))
_LIGATURE = _lex.alternation(_lex.words("means", "ligatures") + _lex.words("means", "firearms"))
_ES_TAKE_PAST = _lex.alternation(_lex.words("verbs_es", "take_pills", "past"))
_ES_TAKE_FUT = _lex.alternation(_lex.words("verbs_es", "take_pills", "future"))
_ES_SUPPLY = _lex.alternation(_lex.words("verbs_es", "take_pills", "whole_supply"))
_ES_THROW = _lex.alternation(
    _lex.words("verbs_es", "throw_oneself", "past") + _lex.words("verbs_es", "throw_oneself", "future")
)
# A count an overdose is told with: ten or more, a range, or a whole supply.
_QTY_EN = (
    r"(?:[1-9]\d{1,2}(?! ?(?:mg|ml|mcg|milligrams?|units|iu)\b)|\d+ (?:or|to) \d+|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|a hundred|hundred|"
    r"a dozen|dozens|two dozen|too many|way too many|so many|a lot|lots|loads|a bunch|a handful|handfuls|a fistful|"
    r"a (?:whole |full |half a |half )?(?:bottle|box|pack|packet|strip|sleeve|jar|tub|blister)|half (?:a|the) "
    r"(?:bottle|box|pack|packet)|(?:two|three|a few) (?:bottles|boxes|packs|packets|strips)|the (?:whole|entire|full|"
    r"rest of the) (?:bottle|box|pack|packet|strip|supply|prescription)|all (?:of )?(?:the|my|his|her|them|those|these)|"
    r"every (?:last|single)|(?:a )?(?:weeks|months|week s|month s) (?:worth )?of|double|triple|everything)"
)
_QTY_ES = (
    rf"(?:[1-9]\d{{1,2}}(?! ?(?:mg|ml|mcg|miligramos|unidades|gotas)\b)|\d+ o \d+|diez|once|doce|quince|veinte|treinta|cuarenta|cincuenta|cien|como \d+|"
    rf"mas de \d+|la mitad del? (?:frasco|caja|bote)|medio (?:frasco|bote)|{_ES_SUPPLY})"
)
_TAKE_EN = r"(?:took|taken|take|swallowed|swallow|downed|popped|chugged|necked|ate|washed down|knocked back|gulped)"
_NOT_ROUTINE = (
    r"(?!(?: \w+){0,3} (?:like|as) (?:the doctor|prescribed|usual|normal|always|i should|every|directed|instructed)"
    r"| (?:on time|with (?:food|breakfast|dinner|lunch|water)|today|this morning|for the week|for the day|"
    r"for my (?:back|head|headache|cold|flu|period|cramps|tooth|knee)))"
)

_CONSTRUCT_GROUPS: tuple[tuple[_Rule, ...], ...] = (
    # Attempt or overdose taken, interrupted or aborted.
    _r(
        "urgent.recent_attempt",
        rf"{_TAKE_EN}(?: \w+){{0,3}} {_QTY_EN}(?: \w+){{0,4}} {_MED_WORD}{_NOT_ROUTINE}",
        rf"{_TAKE_EN} (?:them all|all of them|the lot|the rest of them|every one of them)(?= *(?:[.!?,;]|$| with| and))",
        r"(?:i|ive|i have|i just|just|i think i|i might have|i may have)(?: \w+){0,2} (?:overdosed|oded|od d|"
        r"(?:taken|took|had) an overdose)",
        r"(?:overdosed|oded) on (?:\w+ ){0,3}" + _MED_WORD,
        r"(?:^|[.!?] *)(?:overdosed|oded|od d)(?= (?:last |yesterday|friday|saturday|sunday|monday|tuesday|"
        r"wednesday|thursday|this |again|and ))",
        rf"(?:i |just )?(?:tried|attempted|try) (?:to )?(?:hang|drown|shoot|suffocate|poison|gas|strangle|{_KILL}) "
        rf"(?:my ?self)",
        r"(?:i was|was|i got|i came|i came so|i was so|i was this) (?:about|going|gonna|ready|this close|so close|seconds "
        r"away|minutes away|close) (?:to|from) (?:jump|jumping|take them|taking them|swallow|swallowing|pull the trigger|"
        r"pulling the trigger|step off|stepping off|hang myself|hanging myself|kill myself|killing myself|end it|ending it)",
        r"(?:had|held|was holding|were in) (?:the|a|all the|all my|my) (?:\w+ )?(?:" + _MED_WORD + "|" + _LIGATURE
        + r"|knife|blade|razor) (?:in my (?:hand|hands|mouth)|to my (?:head|wrist|throat|neck)|around my neck)",
        r"(?:found|caught) me (?:with (?:the|a|my|all) |holding |unconscious|passed out|on the (?:bathroom )?floor "
        r"(?:with|after)|in the (?:garage|car) with)",
        r"(?:stopped|pulled|talked) me (?:back )?(?:off|down from|away from|before i could|from) (?:the |a )?(?:ledge|edge|"
        r"bridge|roof|railing|jumping|taking|swallowing|hanging|doing it|going through with it)",
        rf"{_ES_TAKE_PAST}(?: \w+){{0,3}} {_QTY_ES}(?: \w+){{0,4}} (?:{_MED_WORD}|{_ES_PILLS})",
        rf"{_ES_TAKE_PAST} (?:{_ES_SUPPLY}) (?:entero|entera|completo|completa)",
        r"me (?:he )?empastill\w+|me (?:baje|he bajado|trague|zampe) (?:todo )?el frasco",
        r"(?:estuve|estaba|estuvo) (?:a punto|apunto) de (?:tirarme|aventarme|lanzarme|arrojarme|botarme|tomarme|"
        r"tragarme|matarme|ahorcarme|colgarme|cortarme|hacerlo|quitarme la vida|suicidarme)",
        r"(?:me|la|lo) (?:encontr\w+|detuv\w+|par\w+|baj\w+) (?:\w+ ){0,2}(?:con las pastillas|con la cuerda|del puente|"
        r"de la azotea|del borde|antes de que (?:me tirara|saltara|me las tomara|lo hiciera))",
        r"(?:tenia|tuve) (?:las|mis|la|el) (?:\w+ )?(?:pastillas|cuerda|soga|cuchilla|navaja|pistola) (?:en la mano|"
        r"en las manos|en el cuello|en la boca|en la cabeza)",
        r"(?:intente|trate de|he intentado|intento) (?:ahogarme|envenenarme|tirarme|aventarme|colgarme|cortarme las venas)",
        historical=True,
    ),
    # Intent (including refusing to promise safety) and plan with a time or no one to stop it.
    _r(
        "urgent.intent",
        rf"(?:going to|gonna|will|ill|about to|ready to|plan to|planning to|want to|wanna|decided to)(?: \w+){{0,2}} "
        rf"(?:take|swallow|down|pop|od on|overdose on)(?: \w+){{0,3}} {_QTY_EN}(?: \w+){{0,4}} {_MED_WORD}",
        rf"(?:{_ES_TAKE_FUT})(?: \w+){{0,3}} {_QTY_ES}(?: \w+){{0,4}} (?:{_MED_WORD}|{_ES_PILLS})",
        r"(?:voy a|me voy a|quiero) empastill\w+",
        r"(?:cant|cannot|can not|wont|will not|not going to|not gonna|dont think i can|not sure i can|dont want to|"
        r"refuse to|couldnt|can t) (?:promise|guarantee|swear|commit to|agree to|say)(?: \w+){0,4} "
        r"(?:be|stay|keep myself|keep me|remain) (?:safe|alive|here|around)",
        r"(?:cant|cannot|can not|dont know if i can|not sure i can|no longer|unable to) (?:keep|stay) (?:myself )?"
        r"safe(?! (?:at work|on the road|from him|from her|from them|at home with))",
        r"(?:dont|do not|no longer) feel safe (?:with|from|around|alone with) (?:myself|my own thoughts|my thoughts)",
        r"(?:im|i am|i feel) not safe (?:with|from|around) myself",
        r"(?:im|i am) not (?:safe|okay) (?:right now|tonight)(?= *(?:[.!?,;]|$))",
        r"(?:no one|nobody|noone|nothing) (?:will|can|is going to|gonna|would) (?:stop me|find me (?:until|in time|before))",
        r"(?:no one|nobody|noone) (?:to|around to|there to|here to|left to) stop me",
        r"(?:it|everything|this|all this) (?:will|ll|is going to|s going to|gonna) (?:all )?be over (?:by the time|before|"
        r"when|by morning|tonight|tomorrow)",
        r"by the time (?:he|she|they|you|anyone|someone|my \w+) (?:gets?|comes?|come|is|are) (?:home|back|here)"
        r"[^.!?]{0,40}\b(?:over|too late|gone|dead|done)\b",
        r"no (?:puedo|voy a|quiero|te puedo|les puedo|se si puedo) (?:prometer|asegurar|garantizar|jurar)(?:te|le|les)?"
        r"(?: \w+){0,4} (?:estar|estare|seguir|voy a estar|quedarme) (?:bien|a salvo|viv[oa]|aqui|segur[oa])",
        r"no (?:me siento|estoy) (?:a salvo|segur[oa]) (?:conmigo|de mi mism[oa]|con mis pensamientos|sol[oa] conmigo)",
        r"no (?:se si )?(?:puedo|podre) (?:mantenerme|estar|sentirme) a salvo",
        r"nadie (?:me )?(?:va a|podra|puede|me va a|lo va a) (?:detener|parar|impedir|encontrar a tiempo|"
        r"detenerme|pararme|impedirmelo|encontrarme a tiempo|salvar)",
        r"para cuando (?:llegue|vuelva|regrese|se despierte|lean|lea)[^.!?]{0,40}\b(?:habra (?:terminado|acabado)|"
        r"estare muert[oa]|ya no estare|sera tarde|todo habra)",
        r"(?:wont|will not|not going to|not gonna|refuse to|refused to|not agreeing to|dont want to|not doing|"
        r"wouldnt|didnt) (?:do |make |sign |fill (?:in|out) |agree to |follow |go through )?(?:the |my |a |any |this )?"
        r"safety plan",
        r"(?:me nego|me negue|no voy a hacer|no quiero hacer|no pienso hacer|no voy a firmar|no firmo|no acepto|no quise "
        r"hacer)(?: a hacer)? (?:el |un |mi |ningun )?plan de seguridad",
        r"plan de seguridad(?: \w+){0,3} (?:y )?(?:me negue|me nego|dije que no)",
        check_negation=False,
    ),
    _r(
        "urgent.goodbye",
        r"(?:im|i am|i m) not (?:gonna|going to) be (?:here|around|alive) (?:tomorrow|tmrw|tmr|much longer|by morning|"
        r"next week|for long)",
        r"me voy (?:a ir )?para siempre",
        r"(?:esto es|es) lo ultimo que (?:escribo|te escribo|les escribo|vas a leer|van a leer)",
        r"(?:this is|its) the last (?:thing|time) (?:ill|i will|im going to|i) (?:ever )?(?:write|say|post|send)",
    ),
    # Method and place: a height, a vehicle, a Spanish verb of throwing oneself.
    _r(
        "urgent.plan_method",
        rf"(?:{_ES_THROW})(?: \w+){{0,3}} (?:{_HEIGHT_ES}|{_TRACKS_ES})",
        rf"(?:im|i am|standing|stood|sitting|sat|been standing|been sitting|went|drove|walked|climbed|got)(?: \w+){{0,2}} "
        rf"(?:on|at|to|onto|up|over|by|near) (?:the |a |this |that |our |my )?(?:edge of (?:the |a )?|top of (?:the |a )?|"
        rf"wrong side of (?:the |a )?)?{_HEIGHT_EN}"
        r"(?=[^.!?]{0,80}\b(?:looking down|look down|edge|railing|jump|how (?:high|far)|down there|the drop|below|"
        r"right now|nobody|no one|last time|goodbye|end it|over the side|the water|let go|step off)\b)",
        r"(?:climbed|climbing|got|getting) (?:over|past|onto the other side of) (?:the |a )?(?:railing|barrier|fence|"
        r"parapet|edge)(?! (?:to get|to fetch|to save|to help))",
        rf"(?:how high|how tall|high enough|tall enough|far enough down|the drop)(?: \w+){{0,4}} (?:{_HEIGHT_EN}|to die|"
        r"to be sure|to kill|fatal|to make sure)",
        rf"(?:estoy|estaba|me subi|subi|fui|sentad[oa]|parad[oa]|llegue)(?: \w+){{0,3}} (?:en|a|al|sobre|hasta|arriba de) "
        rf"(?:el |la |un |una |este |esta |ese |esa )?(?:borde (?:de|del) (?:la |el )?)?{_HEIGHT_ES}"
        r"(?=[^.!?]{0,80}\b(?:mirando (?:hacia )?abajo|el borde|baranda|barandal|saltar|tirarme|aventarme|lanzarme|que alto|"
        r"ahora mismo|nadie|ultima vez|adios|la caida|hacia abajo|soltarme)\b)",
        rf"(?:ya )?(?:se|elegi|encontre) (?:de )?(?:que|cual|el) (?:{_HEIGHT_ES})",
    ),
    # Carbon monoxide: the car running in a closed garage.
    _r(
        "urgent.plan_method",
        r"(?:car|engine|truck) (?:is |s )?(?:running|on|started) in (?:the|a|my) (?:closed |shut )?garage",
        r"(?:sitting|sat|im) in (?:the|my) car in (?:the|a) (?:closed |shut )?garage",
        r"(?:carro|coche|auto|motor|camioneta) (?:prendido|encendido|andando|en marcha) en (?:el|la) (?:garaje|cochera)",
    ),
    # Preparatory acts: medicine saved or counted out, means got ready, notes to be found, belongings
    # given away before going, affairs put in order.
    _r(
        "urgent.preparation",
        r"(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|gathering|gathered|putting aside|"
        r"put aside|setting aside|set aside|stashing|stashed|squirreling away|squirrelled away|keeping back|kept back|"
        r"building up|holding on to|holding onto)(?: \w+){0,4} " + _MED_WORD
        + r"(?! (?:for (?:the week|my (?:trip|holiday|vacation))|in (?:the|a) (?:pill|weekly)))",
        rf"(?:counted|counting|count|lined up|lining up|laid out|laying out|poured out|pouring out|piled up|emptied out)"
        rf"(?: \w+){{0,4}} {_MED_WORD}(?! (?:for the week|into (?:the|my) (?:pill|weekly|daily)|in (?:the|my) (?:pill|weekly)))",
        rf"(?:{_LIGATURE}|charcoal|razor blades?|blades)(?: \w+){{0,4}} (?:ready|in place|set up|strong enough|"
        r"that will hold|that would hold|hold my weight|waiting for me|in the (?:car|garage|trunk|boot|closet|wardrobe) "
        r"(?:ready|for|waiting))(?! for (?:the|my|our|school|work|dinner|lunch|camping|the barbecue|the bbq))",
        r"(?:tested|testing|test|checked|checking) (?:if |whether |that )?(?:the |a |my )?(?:rope|belt|cord|beam|hook|"
        r"rail|pipe|knot)(?: \w+){0,3} (?:would |will |can |could )?(?:hold|take) (?:my weight|me)",
        r"(?:left|leaving|wrote|writing|written|hid|put|leave|write)(?: \w+){0,2} (?:a |the |my |some |all the )?"
        r"(?:notes?|letters?)(?: \w+){0,6} (?:to find|for (?:him|her|them|my \w+|the kids|everyone|someone) to "
        r"(?:find|read)|to be found|explaining (?:why|everything)|for after|for afterwards)",
        r"(?:giving|gave|given|give|handing|handed|handing out|getting rid of|got rid of)(?: \w+){0,5} (?:before i "
        r"(?:go|leave|die|do it|end it|am gone|m gone)|before im gone|while i still can|for when im gone)",
        r"(?:sorted|sorting|organised|organized|organising|organizing|wrote down|writing down|written down|left|"
        r"leaving|put|putting)(?: \w+){0,3} (?:passwords|bank details|pin numbers|pins|accounts|paperwork|finances|"
        r"insurance|will)(?: \w+){0,6} (?:so (?:he|she|they|it|someone|everyone|nobody) (?:will|can|would|doesnt|"
        r"wont|has)|for (?:when|after) (?:im|i am|i)|in case (?:something happens|i))",
        r"(?:deje|dejando|puse|poniendo|tengo|ordene|ordenando|arregle|arreglando) (?:todo |mis cosas |mis papeles |"
        r"mis asuntos |las cuentas |mis cuentas )?en orden",
        r"(?:deje|dejando|escribi|escribiendo|he dejado|he escrito|anote)(?: \w+){0,2} (?:anotad[ao]s |apuntad[ao]s |"
        r"escrit[ao]s )?(?:las |mis )?(?:contrasenas|claves|cuentas del banco)(?: \w+){0,4} (?:para (?:que|cuando|despues)"
        r"|por si)",
        r"(?:deje|dejando|escribi|escribiendo|he dejado|he escrito|voy a dejar)(?: \w+){0,2} (?:una |la |unas |las |mi )?"
        r"(?:nota|notas|carta|cartas)(?: \w+){0,6} (?:para que (?:la |las |lo )?(?:encuentre|encuentren|lea|lean)|"
        r"explicando (?:por que|todo)|para despues|de despedida)",
        r"(?:regale|regalando|estoy regalando|di|reparti|repartiendo|me deshice de|deshaciendome de)(?: \w+){0,5} "
        r"(?:antes de irme|antes de que me vaya|antes de morir|porque ya no (?:voy a estar|estare|las necesito|"
        r"los necesito))",
        rf"(?:guardando|guarde|junte|juntando|ahorrando|acumulando|escondiendo|escondi|contando|conte|separando|separe)"
        rf"(?: \w+){{0,4}} (?:{_ES_PILLS}|{_MED_WORD})(?! (?:de la semana|en el pastillero|para el viaje))",
        r"(?:compre|consegui|tengo|prepare|tengo lista|tengo listo)(?: \w+){0,2} (?:la |una |el |un |mi )?"
        r"(?:cuerda|soga|carbon|pistola|cuchillas|navaja|cinturon)(?: \w+){0,3} (?:list[oa]|preparad[oa]|escondid[oa]|"
        r"para (?:esta noche|manana|cuando|hacerlo))",
    ),
    # Non-specific active thoughts: "those thoughts are back".
    _r(
        "concern.thoughts_of_death",
        r"(?:those|these|the|my|the old|the same|the dark|the bad|the usual) (?:dark |bad |old |same |usual |scary |"
        r"intrusive |suicidal |awful |horrible )?(?:thoughts|urges|voices|ideas|feelings) (?:are|have|came|come|keep|"
        r"started|s) (?:back|coming back|come back|returned|returning|creeping back|again)",
        r"(?:thoughts?|thinking|think|thought) (?:about|of) (?:not (?:wanting to )?(?:be|being) (?:here|around|alive)|"
        r"not existing|not waking up|ending it all|ending my life|disappearing for good|no longer being here)",
        r"(?:esos|esas|estos|estas|los|las|mis) (?:pensamientos|ideas|impulsos|pensamientos oscuros|pensamientos feos)(?: \w+)? "
        r"(?:volvieron|han vuelto|regresaron|estan de vuelta|otra vez|de nuevo|vuelven)",
        r"(?:volvieron|han vuelto|regresaron|volvio|ha vuelto|regreso) (?:esos|esas|los|las|mis|esa|la) (?:pensamientos|ideas|"
        r"impulsos|idea|ganas de (?:morir|morirme|matarme|desaparecer|no existir|cortarme))",
        r"(?:pienso|pensando|pense|pensamientos) (?:en|de) (?:no (?:estar|existir|despertar)|dejar de existir|"
        r"desaparecer para siempre|acabar con todo)",
        check_negation=False,
    ),
    # Wish to be dead, said indirectly: not to exist, not to wake up, to disappear.
    _r(
        "concern.wish_dead",
        r"(?:wouldnt|would not) (?:be )?(?:that |too |so |really )?(?:upset|sad|mind|care|bothered) if i (?:didnt|did not|"
        r"dont|never) (?:make it|wake up|survive|come out)",
        r"(?:le )?pido a dios que me (?:recoja|lleve|lleves)|dios(?: mio)? (?:llevame|recogeme)|(?:senor|diosito) llevame|"
        r"(?:god|lord|jesus)(?: please)?,? (?:just )?take me(?: now| home| already)?(?= *(?:[.!?,;]|$))|"
        r"(?:pray|praying|asking god|ask god) (?:that )?(?:god |he )?(?:takes|will take|would take|to take) me",
        r"(?:wish|wishing|hope|hoping|pray|praying|would be (?:nice|easier|okay|ok|fine|a relief)|wouldnt mind|"
        r"wouldnt care)(?: \w+){0,2} (?:i|if i) (?:could )?(?:just )?(?:not|never|didnt|stopped|stop) "
        r"(?:wake up|woke up|waking up|exist|existing|existed|be here|be around|breathing|be alive|woke)",
        r"(?:want|wanna|would like|wish i could|need|id like|longing) to (?:just )?(?:disappear|vanish|not exist|not be "
        r"here|not be around|evaporate|fade away|be gone|stop existing|cease to exist)(?! (?:for (?:a|an|the|this|one) "
        r"|from (?:this|the|that) (?:party|meeting|conversation|room|call|dinner|table|chat|group)|into|under|"
        r"off|on |to (?:the|a|my)|with|and (?:sleep|watch|read|play|lie)|somewhere|till|until))",
        r"(?:quiero|quisiera|ojala pudiera|me gustaria|necesito|deseo) (?:simplemente |solo |ya )?(?:desaparecer|"
        r"no existir|dejar de existir|esfumarme|no estar)(?! (?:un rato|unos dias|un tiempo|un momento|de (?:la fiesta|"
        r"la reunion|aqui un rato)|por (?:un|unos|una)|hoy|del trabajo|de (?:esta|la) (?:casa|ciudad)|el (?:fin de semana|finde)|"
        r"este (?:fin de semana|finde)|(?:y )?irme|una semana|unos dias))",
        r"ojala no (?:existiera|estuviera|despertara|me despierte|despierte|amaneciera|hubiera nacido)",
        r"(?:want|wanna|wish|would rather|d rather|id rather|would love) (?:to )?(?:just )?be dead(?! (?:tired|serious|"
        r"set|last|quiet|on|center|centre|wrong|right|honest|easy))",
        check_negation=False,
    ),
    # Self-harm told with a few words between, or as how deep.
    _r(
        "urgent.self_harm_recent",
        r"(?:cut|cutting|burned|burnt|scratched|sliced)(?: \w+){0,2} (?:deeper|deep|harder|worse) (?:than (?:usual|before|"
        r"last time|ever|i meant|i wanted)|tonight|today|last night|this time)",
        r"(?:i|ive|i have|i just) (?:cut|burned|burnt|sliced|scratched|carved)(?: \w+){0,2} (?:into )?my "
        r"(?:\w+ )?(?:arms?|wrists?|legs?|thighs?|stomach|skin|hips?|forearms?)" + _NOT_SELF_HARM,
        r"(?:me (?:he )?vuelto a|volvi a|otra vez me|de nuevo me) (?:cortar|hacer cortes|lastimar|quemar|autolesionar)",
        r"me (?:corte|queme|raje)(?: \w+){0,2} (?:mas )?(?:profundo|hondo) (?:que|esta|hoy|anoche)",
        r"me (?:volvi a|he vuelto a) (?:cortar|hacer cortes|hacer dano|lastimar|quemar)",
        # happening now: "cutting right now i can't stop", "me estoy cortando ahora mismo"
        r"(?:im |i am )?(?:cutting|burning|hurting) (?:myself )?(?:right now|rn|as i (?:write|type))",
        r"(?:cant|can not|cannot) stop (?:cutting|hurting myself|burning myself)",
        r"me estoy (?:cortando|quemando|lastimando|haciendo cortes|haciendo dano)(?! (?:el|la|los|las|un|una) )",
        r"no (?:puedo|logro) (?:parar|dejar) de (?:cortarme|lastimarme|quemarme|hacerme dano)",
    ),
)


_RULE_GROUPS: tuple[tuple[_Rule, ...], ...] = (
    # ---------------------------------------------------------------- urgent
    _r(
        "urgent.intent",
        rf"{_MODAL}{_FILLER} (?:{_KILL_SELF}|{_SUICIDE}|(?:kill|kil) (?:my|my own) ?self)",
        r"(?:im|i am) (?:ending|going to end|gonna end) (?:things|it|it all|everything) (?:for real|for good|tonight|"
        r"today|this time)(?! with (?:him|her|them))",
        r"(?:ahora si|ya|hoy|esta noche|manana) me (?:suicido|mato|quito la vida)(?= *(?:[.!?,;]|$| ya fue| de verdad| en serio))",
        r"(?:esa|esta) (?:misma )?noche me (?:suicido|mato|quito la vida)",
        r"(?:im|i am) ending it(?= *(?:[.!?,;]|$| for good| tonight| no more))",
        r"i (?:\w+ )?(?:intend|mean|plan|am planning|m planning) to (?:end (?:it|things|my life)|kill myself|die|jump|"
        r"overdose|take them all)",
        r"(?:ya )?no voy a seguir viviendo|(?:hoy|esta noche|manana|ya) (?:termino|acabo) con todo(?! (?:el|la|lo) )",
        r"(?:planning|plan|going|gonna|about) to jump (?:off|from|in front of)",
        rf"{_KILL_SELF}(?: \w+){{0,2}} {_TIME}",
        rf"{_TIME}(?: \w+){{0,3}} (?:end (?:it|things|my life|this(?= *(?:[.!?,;]|$| for good| once and for all| "
        rf"forever)))|{_KILL_SELF})(?! with| between)",
        rf"(?:ill|i will|going to|gonna|im|i am) end(?:ing)? (?:it|things|everything)(?: \w+)? {_TIME}",
        r"(?:want|wanna|going|gonna|plan|planning|decided|ready|about) (?:to )?take my (?:own )?life",
        rf"(?:going to|gonna|ill|i will|about to|ready to) (?:take|swallow) (?:them all|all of them|"
        rf"all (?:of )?(?:my|the|these) {_PILLS}|the whole (?:bottle|box|pack|packet))",
        rf"(?:bottle|box|pack|packet|strip|all|enough|handful|stash|lot|whole) (?:of )?(?:my |the )?(?:\w+ )?{_PILLS}"
        r"[^.!?]{0,60} (?:going to|gonna|about to|ill|i will|ready to|want to) (?:take|swallow) "
        r"(?:them|it|all|the lot)",
        rf"(?:voy a|quiero|pienso) (?:tomarmelas|tomarmelos|tomarme (?:todas )?(?:las|mis) {_ES_PILLS})",
        r"(?:want|wanna|going to|gonna|ready|decided) (?:to )?(?:commit )?suicide",
        r"(?:voy a|quiero|pienso|necesito|decidi|tengo que|me gustaria|estoy (?:list[oa]|decidid[oa]) (?:a|para))"
        rf"(?: \w+){{0,2}} {_ES_SELF_KILL}{_IDIOM_DEATH_ES}",
        r"me (?:voy a|quiero|pienso|tengo que|gustaria) (?:matar|suicidar|quitar la vida|ahorcar|colgar)"
        rf"{_IDIOM_DEATH_ES}",
        r"(?:esta noche|hoy|manana|ahora mismo|este fin de semana)(?: \w+){0,2} "
        r"(?:me mato|me suicido|me quito la vida|acabo con (?:todo|mi vida)|lo termino todo)",
        r"(?:me mato|me suicido|me quito la vida|acabo con (?:todo|mi vida)) "
        r"(?:esta noche|hoy|manana|ahora mismo|este fin de semana)",
        r"(?:esta noche|hoy|manana|ahora mismo|este fin de semana)(?: \w+){0,2} (?:acabo|termino) con esto"
        r"(?= *(?:[.!?,;]|$| de una vez| para siempre))",
    ),
    _r(
        "urgent.plan_method",
        rf"how (?:to|i (?:would|could|will|can)|id|ill|do i|can i|should i) (?:{_KILL_SELF}|die|end it|"
        r"overdose|od|do it(?! (?:differently|better|again|next|instead|right|properly|with|for|at|in|on)))",
        rf"(?:ways?|methods?|best way|easiest way|quickest way) to (?:die|{_KILL_SELF}|commit {_SUICIDE})",
        r"painless (?:way|ways|death)",
        rf"how many {_PILLS}(?: \w+){{0,4}} (?:kill|die|take|lethal|enough|overdose|od)",
        r"lethal dose",
        r"(?:drown|drowning) my ?self",
        r"(?:walk|walking|wade|wading) (?:into|in) the (?:river|sea|ocean|lake|water|canal) (?:and|until|tonight)",
        r"(?:researching|research|researched|looking up|looked up|googling|googled|searching|searched|reading up on) "
        rf"(?:\w+ ){{0,2}}(?:overdoses?|lethal doses?|ways to die|how to die|{_SUICIDE} methods|how to {_KILL_SELF}|"
        r"painless ways?)",
        r"(?:slit|slitting|cut|cutting|open) my wrists?",
        r"(?:jump|jumping|throw myself|throwing myself) (?:off|from) (?:the|a|that|my|our|this) "
        r"(?:bridge|roof|rooftop|building|balcony|cliff|window|tower|overpass|parking garage)",
        r"(?:jump|jumping|step|stepping|throw myself|throwing myself|walk|walking) in front of "
        r"(?:a|the|an) (?:train|bus|car|truck|lorry|subway|tube)",
        r"(?:drive|driving|crash|crashing|steer|steering) (?:my car |the car )?(?:off (?:the|a) "
        r"(?:road|bridge|cliff)|into (?:a|the) (?:wall|tree|river|truck|lorry|oncoming)|on purpose)",
        r"(?:i|im|i am|ill) (?:going to |gonna |want to |wanna |will )?overdose",
        r"(?:edge|top|railing|ledge) of (?:the|a|that) (?:bridge|roof|building|cliff|platform|balcony)",
        r"(?!cliff (?:jump|div))(?:bridge|roof|rooftop|ledge|balcony|edge|cliff|platform|tracks)(?: \w+){0,6} (?:and )?(?:going to |gonna |"
        r"about to |want to |wanna |will |ready to |)(?:jump|jumped|jumping)",
        r"(?:como|forma de|formas de|manera de|maneras de) (?:matarme|suicidarme|quitarme la vida|"
        r"morir sin dolor|ahorcarme)",
        rf"cuant[oa]s {_ES_PILLS}(?: \w+){{0,4}} (?:para morir|matan|mata|necesito|hacen falta|harian falta|se necesitan|"
        r"son mortales|son letales|serian suficientes|son suficientes|bastan|bastarian)",
        r"dosis letal",
        r"(?:cortarme|me corte|me voy a cortar) las venas",
        r"tirarme (?:de|del|desde|por) (?:un|el|la|una|ese|este)? ?"
        r"(?:puente|edificio|balcon|ventana|azotea|techo|acantilado|terraza)",
        r"me (?:voy a|quiero|pienso|tengo que) (?:tirar|lanzar|aventar) (?:de|del|desde|por|al|a las|bajo|delante de) "
        r"(?:un |el |la |una |las )?(?:puente|edificio|balcon|ventana|azotea|techo|acantilado|terraza|tren|metro|vias|coche)",
        r"tirarme (?:a|al|bajo|delante de|debajo de) (?:las vias|el tren|un tren|un coche|un camion|el metro|un carro)",
        # Which pills or dose would be lethal.
        rf"(?:which|what|how many|how much) (?:of )?(?:\w+ ){{0,2}}(?:{_PILLS}|dose|doses|combination|drugs|mix)"
        r"(?: \w+){0,3} (?:is|are|would be|it takes to be|to be) (?:the )?(?:most |more )?(?:lethal|deadly|fatal)",
        r"(?:lethal|deadly|fatal) (?:amount|amounts|combination|mix|number) of",
        # Carbon monoxide.
        r"(?:in|inside) (?:the|my|our) (?:garage|car) with the (?:engine|car|motor) (?:running|on)",
        r"garage[^.!?]{0,40}\b(?:engine|motor|car) (?:is |s )?(?:running|on)\b",
        r"(?:hose|hosepipe|pipe|tube)(?: \w+){0,3} (?:car )?(?:exhaust|tailpipe)",
        r"charcoal (?:in|inside) (?:the|my|a) (?:bedroom|room|car|bathroom|tent|flat|apartment)",
        r"(?:manguera|tubo)(?: \w+){0,3} (?:tubo de escape|escape del coche)",
        r"(?:garaje|coche|carro) con el motor (?:encendido|en marcha|prendido)",
        # A chosen place; stepping off a platform; traffic; a ligature.
        r"(?:i know|ive picked|i picked|ive chosen|i chose|ive found|i found) (?:which|the (?:right|perfect|best|highest|"
        r"tallest)|a (?:high|tall|good)) (?:bridge|cliff|rooftop|roof|ledge|overpass)(?! (?:you|he|she|we|they|it|is|was))",
        r"(?:going to|gonna|want to|wanna|about to|ready to|ill|i will|could (?:just )?|urge to) (?:jump|step|fall|walk|"
        r"throw myself|lie down|go) (?:off|from|onto|on|in front of|under) (?:the|a|that) (?:platform|tracks|railway|"
        r"rails|train|subway|metro|tube|ledge)",
        r"(?:walk|walking|step|stepping|throw myself|throwing myself) (?:out )?into (?:the )?(?:oncoming )?traffic",
        r"(?:rope|belt|cord|scarf|noose|ligature) (?:around|round) my (?:neck|throat)",
        r"(?:puente|azotea|techo|tejado|balcon|cornisa|acantilado|vias|anden|borde|ventana)(?: \w+){0,6} (?:y )?"
        r"(?:voy a|quiero|estoy a punto de|me voy a|pienso) (?:saltar|tirarme|lanzarme|aventarme|arrojarme|tirar)",
        r"(?:voy a|quiero|pienso|me dan ganas de|estoy a punto de) (?:saltar|tirarme|lanzarme|arrojarme) (?:del|desde el|"
        r"desde la|de la|por la|al|a las|bajo el|delante del) (?:puente|edificio|balcon|ventana|azotea|techo|acantilado|"
        r"terraza|tren|metro|vias|trafico)",
        rf"(?:busque|buscando|estuve buscando|investigue|investigando|googlee|mire en internet|lei sobre|leyendo sobre)"
        rf"(?: \w+){{0,2}} (?:cuantas|cuantos|que|la dosis de|dosis de) (?:\w+ ){{0,2}}{_ES_PILLS}",
        r"(?:cuerda|cinturon|soga) (?:alrededor del|al) cuello",
    ),
    _r(
        "urgent.preparation",
        r"(?:stockpiled|stockpiling|stockpile|collected|collecting|hoarded|hoarding|stashed|stashing|gathered|"
        r"gathering) (?:up )?(?:all )?(?:of )?(?:my |the |some |enough |a lot of |lots of |a bunch of |these |"
        rf"those )?(?:\w+ )?{_PILLS}",
        r"(?:saved|saving|save|kept|keeping|stored|storing|put aside|putting aside|set aside|setting aside) "
        r"(?:up (?:all |enough |a lot of |lots of |a bunch of |my |the |some )?|all (?:of )?(?:my |the )?|enough |"
        rf"a lot of |lots of |a bunch of |weeks of |months of )(?:\w+ )?{_PILLS}",
        rf"enough {_PILLS} (?:to|for)",
        rf"(?:(?:all|the rest of) )?(?:my|the|these|all the) {_PILLS} (?:are )?(?:ready|lined up|saved|counted|"
        r"in front of me|laid out|set out)",
        rf"(?:tengo|tenia) (?:las|mis|unas|todas las|todas mis) {_ES_PILLS} (?:guardadas|escondidas|juntas|listas|"
        r"preparadas|contadas)",
        r"(?:bought|buy|buying|got|have|found|tied|tying|ordered|hid|hidden|hung|hanging up) (?:a |the |some |my )"
        r"(?:rope|noose)(?! for (?:the|a|my|our|his|her) (?:\w+ )?(?:kids|swing|tire|tyre|tent|boat|garden|climbing|camping|"
        r"dog|clothesline|washing line|hammock|gym|moving|trailer|van))",
        r"\bnoose\b",
        r"(?:the|a|my) (?:rope|noose) (?:is|s) (?:in|ready|tied|hanging|under|up|on)",
        r"(?:wrote|written|writing|left|leaving) (?:the |some |all the )?letters (?:to|for) (?:everyone|each of them|"
        r"all of them|my (?:family|kids|children|parents|partner|husband|wife|friends))",
        r"(?:escribi|he escrito|escribiendo|deje|dejando|les escribi|les he escrito|les deje) (?:las |unas |mis |"
        r"todas las )?cartas (?:para|a) (?:mi familia|"
        r"todos|mis hijos|mis padres|cada uno|ellos|mi pareja|mi marido|mi esposa|mi mujer)",
        r"(?:i (?:have|got|bought|found|loaded|am holding|m holding|took)|im holding|holding|loaded|"
        r"bought|buying) (?:a |the |my |my dads |dads |his |a loaded )(?:gun|pistol|rifle|shotgun|revolver|firearm)"
        r"(?! (?:license|licence|safe|range|club|permit|show|course|cabinet))",
        r"(?:gun|pistol|rifle) (?:is )?loaded",
        # A will only in the first person: "our friend is writing a will for her mum" is not a sign.
        r"(?:i|im|ive|i am|i have|i just|been|i finally)(?: \w+)? (?:wrote|writing|written|write|finished|made|"
        r"making|make|updated|updating|signed|sign) (?:a|my|the) (?:will|last will)",
        r"(?:wrote|writing|written|finished|made|making|updated|updating|signed) my (?:last )?will",
        r"(?:wrote|writing|written|write|finished|made|making|make) (?:a |my |the )?(?:letters to everyone|"
        r"goodbye letters?|goodbye notes?)",
        r"(?:suicide|goodbye|farewell) (?:note|letter|video|message)",
        r"(?:wrote|written|writing|write|left|leaving) (?:a |some )?(?:letters?|notes?) (?:to|for) (?:\w+ ){0,3}"
        r"(?:explaining why|saying goodbye|for after|for when im gone|to read after|in case i)",
        r"letters to everyone",
        r"(?:giving|gave|give|given|handing|handed) (?:away )?(?:all )?(?:of )?(?:my|all my) "
        r"(?:things|stuff|belongings|possessions|pets|cat|dog|prized possessions)(?: away)?",
        r"(?:giving|gave|give) away (?:all (?:of )?)?(?:everything i own|everything|all my (?:stuff|things))",
        r"(?:putting|put|got|getting|have|sorted) my affairs in order",
        rf"(?:guardando|juntando|ahorrando|acumulando|guarde|junte|ahorre|acumule|escondi|escondiendo|"
        rf"tengo guardad[ao]s|tengo escondid[ao]s) (?:las |unas |mis |todas las |todas mis |suficientes "
        rf"|muchas )?{_ES_PILLS}",
        rf"suficientes {_ES_PILLS} (?:para|como)",
        r"(?:compre|tengo|consegui|encontre|ate|atando|colgue) (?:una|la|mi) (?:cuerda|soga|pistola|arma)(?! (?:para|pa) "
        r"(?:el|la|los|las|mi|mis) (?:columpio|tendedero|perro|jardin|barco|camping|tienda|hamaca|mudanza|ropa|gimnasio))",
        r"(?:escribi|escribiendo|escribo|voy a escribir|deje|hice|haciendo|firme) (?:una |mi |la )"
        r"(?:carta de despedida|nota de despedida|nota de suicidio|testamento|ultima carta)",
        r"carta de despedida|nota de suicidio",
        r"(?:regalando|regale|regalar|voy a regalar|repartiendo|reparti) (?:todas )?(?:mis|todas mis) "
        r"(?:cosas|pertenencias|mascotas)",
        r"(?:dejando|deje|dejar) (?:todo|mis cosas|mis asuntos) en orden",
        r"(?:hiding|hid|hidden|stashing|stashed) (?:\w+ ){0,2}(?:razor blades?|razors?|blades)",
        r"(?:escondiendo|escondi|escondo|tengo escondidas) (?:\w+ ){0,2}(?:cuchillas|hojas de afeitar|navajas)",
        # Means got ready, pills counted out or laid out.
        rf"{_MEANS} (?:are |is |s )?(?:all )?(?:ready|lined up|hidden|laid out|set out|counted out|waiting)"
        r"(?! for (?:the|my|our|school|work|dinner|tomorrow|lunch))",
        rf"(?:got|have|had|put|left|hid|keep|keeping) (?:the |my |some |a |all the |all my |all of my |new )?{_MEANS} "
        r"(?:ready|lined up|hidden)(?! for (?:the|my|our|school|work|dinner|tomorrow|lunch))",
        rf"(?:tengo|tenia|deje|puse) (?:la|las|el|los|mis|mi|unas|una) {_MEANS} (?:list[oa]s?|preparad[oa]s?|"
        r"escondid[oa]s?|a mano)",
        rf"(?:counted|counting) (?:out )?(?:all|every one|every single one) (?:of )?(?:my |the |his |her )?(?:\w+ )?{_PILLS}",
        rf"(?:counted|counting) out (?:my |the |his |her )?(?:\w+ )?{_PILLS}",
        rf"(?:lined|lining|laid|laying|poured|pouring|emptied|emptying) (?:up |out )?(?:all )?(?:of )?(?:my |the |his |her )?"
        rf"(?:\w+ )?{_PILLS}(?! (?:for the week|for tomorrow|into|in (?:the|my) (?:pill|weekly|daily)))",
        # Gathering medication "so I'd have enough".
        rf"(?:{_PILLS}|prescriptions?|scripts?|refills?|pharmacies|pharmacy|doctors)[^.!?]{{0,60}}\bso (?:that )?"
        r"(?:i|id|ill|i would|i will) (?:have|had|get|got|d have) enough",
        # Affairs: life insurance, who gets what.
        r"life insurance(?: \w+){0,3} (?:pays? out|covers?|would cover|still covers) (?:for |on |if |when )?"
        r"(?:suicide|i die|im dead|im gone|i kill|i killed)",
        r"made sure (?:\w+ ){0,2}life insurance",
        r"life insurance[^.!?]{0,40}so (?:the kids|they|he|she|everyone|my (?:family|kids|children|wife|husband|partner)) "
        r"(?:will|would|ll|d|can|are|is) (?:be )?(?:okay|ok|fine|alright|all right|taken care of|looked after|"
        r"provided for|covered)",
        r"seguro de vida(?: \w+){0,3} (?:cubre|paga|pagaria|cubriria) (?:el |en caso de )?(?:suicidio|si me muero|si muero)",
        r"(?:me asegure|comprobe|revise)(?: \w+){0,2} (?:el |mi )?seguro de vida",
        r"(?:ive |i have |i )(?:written|wrote|writing|write|made a list of|listed|written down|wrote down) (?:down )?"
        r"who (?:gets|will get|should get|inherits|will have|takes|keeps) (?:my|the|what)",
        r"(?:escribi|apunte|deje escrito|he escrito|anote|he dejado escrito)(?: \w+){0,2} (?:quien|quienes) "
        r"(?:se queda|se quedan|se quedara|heredara|hereda|recibe|recibira|tendra) (?:con )?(?:mi|mis)",
        # Giving things away "because I won't need them".
        r"(?:giving|gave|given|give|handing|handed|donating|donated|selling|sold|got rid of|getting rid of)"
        r"[^.!?]{0,60}\b(?:i|ill) (?:wont|will not|dont) (?:be needing|need)(?: them| it| these| this| any of (?:it|this|them))?"
        r"(?: any ?more| any longer| where im going| after (?:this|tonight|im gone))?(?= *(?:[.!?,;]|$))",
        r"(?:regale|regalado|regalando|regalar|reparti|repartido|repartiendo|done|donado|donando|vendi|vendido|"
        r"deshaciendome|me deshice)[^.!?]{0,60}\bya no (?:los|las|lo|la|me) (?:voy a necesitar|necesitare|necesito|"
        r"van a hacer falta|hara falta|haran falta)",
        # Letters or messages for after.
        r"(?:letters?|notes?|messages?|videos?|recordings?|cards?)(?: \w+){0,8} (?:for|when|after|once) "
        r"(?:im|i am) (?:gone|dead|no longer here|not here any ?more|not around any ?more)",
        r"(?:cartas?|notas?|mensajes?|videos?)(?: \w+){0,8} (?:cuando|para cuando|despues de que|una vez que) (?:yo )?"
        r"(?:ya )?no (?:este|exista|estuviera)(?! (?:en|aqui|con|de|para))",
    ),
    _r(
        "urgent.recent_attempt",
        r"(?:took|swallowed|downed|taken|take|took like|just took) (?:too many|a lot of|all (?:of )?(?:my|the|of my)|"
        r"a bunch of|a whole (?:bottle|box|pack|packet|strip) of|the whole (?:bottle|box|pack|packet)(?: of)?|"
        r"handfuls? of|lots of|way too many|so many|\d{2,3}|twenty|thirty|forty|fifty) "
        rf"(?:\w+ )?{_PILLS}(?!(?: \w+){{0,3}} (?:like|as) (?:the doctor|prescribed|usual|normal|always|i should|every)"
        r"| (?:on time|with (?:food|breakfast|dinner|lunch|water)))",
        r"(?:i|just) (?:overdosed|oded|od d|od ed|have overdosed)",
        rf"(?:i|i just|i almost|ive|i have) (?:tried|attempted) (?:to )?(?:{_KILL_SELF}|die|{_SUICIDE}|"
        r"end it|overdose|od|hang my ?self)",
        rf"(?:my|another|last|a) (?:{_SUICIDE} )?attempt(?! at)",
        rf"attempted {_SUICIDE}",
        rf"(?:me )?tome (?:todas (?:las|mis)|muchas|demasiadas|un monton de|una caja de|un frasco de|un blister de|"
        rf"\d{{2,}}|veinte|treinta|cuarenta) (?:de )?(?:\w+ )?{_ES_PILLS}",
        r"(?:me tome|tome) una sobredosis|me sobredosifique",
        r"(?:me )?tome (?:el|un|la|una|todo el|toda la) (?:frasco|bote|blister|caja|paquete|tableta) "
        r"(?:entero|entera|completo|completa|de (?:pastillas|pildoras))",
        r"(?:intente|trate de|he intentado|intento de) (?:matarme|suicidarme|quitarme la vida|ahorcarme|"
        r"suicidio|morir)",
        # A whole supply, everything in the cabinet, too much of a medicine.
        rf"(?:took|taken|swallowed|downed|popped|mixed|washed down)(?: \w+){{0,3}} (?:whole|entire|every last|"
        rf"every single) (?:\w+ ){{0,3}}(?:{_PILLS}|prescription|supply|stash)",
        r"(?:took|taken|swallowed|downed) (?:everything|whatever|all|all the pills|all the meds) (?:\w+ ){0,2}"
        r"(?:in|from) (?:the|my|our) (?:\w+ )?(?:medicine cabinet|cabinet|medicine cupboard|first aid (?:kit|box)|"
        r"pill box|pill organi[sz]er)",
        rf"(?:took|taken|swallowed|downed) (?:way )?too much (?:of )?(?:my |his |her |the )?(?:\w+ )?{_PILLS}",
        r"(?:had|got|get) my stomach pumped",
        r"(?:woke up|ended up|am|im) in (?:the )?(?:hospital|er|a&e|icu|emergency room)(?: \w+){0,3} (?:after|because) "
        r"i (?:took|swallowed|tried|cut|overdosed|jumped|drank)",
        rf"(?:me )?tome (?:un punado de|todo el bote de|toda la caja de|la caja entera de|el bote entero de|"
        rf"todo lo que (?:habia|encontre) (?:en|de)) (?:\w+ ){{0,3}}(?:{_ES_PILLS}|botiquin)",
        r"(?:me hicieron|me tuvieron que hacer) (?:un )?lavado de estomago",
        historical=True,
    ),
    _r(
        "urgent.self_harm_recent",
        rf"i (?:cut|burned|burnt|hurt|harmed|scratched|punched|hit|carved|sliced) (?:my ?self){_NOT_SELF_HARM}",
        r"(?:i|i just|ive|i have) (?:cut|self harmed|selfharmed|harmed) (?:again|last night|yesterday|today|"
        r"this (?:morning|evening|afternoon)|tonight|my (?:arms?|wrists?|legs?|thighs?|stomach|skin))"
        rf"{_NOT_SELF_HARM}",
        r"(?:ive been|i was|i started|started|been) (?:cutting|burning|hurting|harming) (?:myself )?(?:again|"
        r"my (?:arms?|wrists?|legs?|thighs?|skin))",
        r"i (?:just |have |ve |already )?(?:slashed|slit|sliced|cut|carved|burned|burnt|scratched|cut open) "
        rf"(?:up )?my (?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?){_NOT_SELF_HARM}",
        r"(?:i )?relapsed (?:on|with|into) (?:cutting|self harm|selfharm|sh)",
        r"(?:fresh|new|deep) (?:cuts|wounds|scars) (?:on my|from|again)",
        r"me (?:corte|he cortado|volvi a cortar|queme|lastime|hice dano|he hecho dano|autolesione)"
        r"(?! (?:el|la|los|las|un|una) (?:pelo|cabello|flequillo|unas|barba|dedo|dedos|mano|rodilla|tobillo|"
        r"espalda|pie|lengua|labio|muneca jugando)| con (?:un|una|el|la) (?:papel|hoja|cuchillo cocinando)| "
        r"(?:cocinando|afeitandome|sin querer|jugando|corriendo|en el gimnasio|haciendo deporte|al caer|"
        r"con la plancha|con el horno|con el aceite))",
        r"me (?:hice|he hecho|hago|volvi a hacer) (?:cortes|cortaduras|cortadas|heridas|quemaduras)",
        r"(?:volvi a|he vuelto a) (?:cortarme|hacerme dano|lastimarme|autolesionarme|quemarme)",
        # No subject ("Cut my thighs again"), on purpose, or until it bled.
        r"(?:cut|slashed|sliced|carved|burned|burnt|scratched|cut open) (?:up )?my (?:arms?|wrists?|thighs?|legs?|"
        r"stomach|skin|hips?|forearms?)(?: \w+){0,3} (?:again|on purpose|deliberately|intentionally)",
        r"(?:cut|burned|burnt|hurt|harmed|scratched|punched|hit|hurting|cutting|burning) (?:my ?self|my (?:\w+ )?"
        r"(?:arms?|wrists?|thighs?|legs?|stomach|skin|hips?|face|head|hands?)) (?:on purpose|deliberately|intentionally)",
        r"(?:scratched|hit|punched|bit|picked at|picked|dug into|clawed|cut|burned|burnt|banged)(?: at)? (?:my ?self|my "
        r"(?:\w+ )?(?:arms?|skin|legs?|face|head|wrists?|hands?|thighs?)) (?:until|till|til|so hard) (?:(?:it|they|i) )?"
        r"(?:bled|was bleeding|were bleeding|bruised|broke the skin|left marks)",
        r"me (?:corte|queme|golpee|lastime|hice dano|arane|rasque|pegue|mordi)(?: \w+){0,3} (?:a proposito|adrede|"
        r"a posta|aposta|queriendo|hasta sangrar|hasta hacerme sangre|hasta que sangr\w+)",
    ),
    _r(
        "urgent.goodbye",
        r"this is (?:my )?(?:goodbye|farewell|the end|my last (?:message|post|entry|note|words))",
        r"(?:goodbye|bye) (?:forever|everyone|world|cruel world|for good|to everyone)"
        r"(?![.!,]* (?:off to|im off|going to bed|see you|good ?night|night|gn|xx))",
        r"my (?:last|final) (?:message|entry|post|words|goodbye|note|diary entry)",
        # Past tense for anyone; present tense ("tell him I love him" is everyday) only for family
        # beyond the partner, or with "please" / "I'm sorry and".
        rf"tell {_PEOPLE} (?:that )?(?:im sorry and )?i (?:loved|always loved|really loved) "
        r"(?:them|him|her|you|you all|every)",
        r"tell (?:them|everyone|everybody|my (?:kids|children|son|daughter|family|mom|mum|dad|parents|sister|"
        r"brother|friends)) (?:that )?(?:im sorry and )?i (?:love|always love) (?:them|him|her|you)",
        rf"please tell {_PEOPLE} (?:that )?(?:im sorry and )?i (?:love|always love)",
        r"(?:you|they|he|she|nobody|no one|everyone|anyone|you guys) (?:wont|will not|will never|wont ever|dont) "
        r"(?:have to|need to|ever have to) (?:deal with|worry about|put up with|see|hear from|bother with) me "
        r"(?:any ?more|again|much longer|for (?:much )?longer)",
        r"(?:wont|will not) be (?:here|around|alive) (?:tomorrow|much longer|for (?:much )?longer|by (?:morning|tomorrow|"
        r"the weekend|monday)|any ?more|when you (?:wake|get|read))",
        r"i wont be a (?:problem|burden|bother) (?:any ?more|much longer|for (?:much )?longer)",
        r"by the time (?:you|anyone|someone|they|he|she) (?:reads?|finds?|sees?|gets?) (?:this|my)",
        r"see you on the other side",
        r"(?:im|i am) done[.!,]* (?:goodbye|bye|farewell)(?! for now)",
        r"(?:goodbye|bye)[.!,]* (?:i )?love (?:you all|you guys|everyone)(?![.!,]* see you)",
        r"adios[.!,]* (?:los|las|les) (?:quiero|amo)(?: a todos| mucho)?(?![.!,]* nos vemos)",
        r"(?:(?:he|she|they|someone|somebody|you|my \w+) (?:will|ll|is going to|are going to|gonna|will be the one to)|"
        r"hell|shell|theyll|youll) find (?:me|my body) (?:in the morning|tomorrow|dead|when|after|tonight|first)",
        r"forgive me for what im (?:about|going) to do",
        r"(?:i love you all|love you all|i love you) (?:goodbye|and goodbye|bye)",
        r"(?:esta es|este es) mi (?:despedida|ultimo mensaje|adios)",
        r"me despido de (?:todos|ustedes|vosotros|todo el mundo|ti para siempre)",
        r"adios (?:para siempre|a todos|mundo)",
        r"(?:diles|dile|decile|digan|decidles|diganle|diganles) (?:a \w+(?: \w+)? )?que (?:los|las|la|lo|les|te) "
        r"(?:quise|quiero|ame|amo|queria)",
        r"cuando (?:leas|lean|leais|alguien lea) esto",
        r"(?:ya )?no (?:tendras|tendran|tendra|tendreis|vas a tener|van a tener) que "
        r"(?:preocuparte|preocuparse|aguantarme|soportarme|lidiar conmigo|cargar conmigo|verme)",
        r"(?:ya )?no (?:estare|voy a estar) (?:aqui |aca )?(?:manana|mucho tiempo|para siempre|mas)",
        r"mi (?:ultimo|ultima) (?:mensaje|entrada|carta|adios)",
        r"(?:manana|esta noche|pronto|el lunes) (?:ya )?no (?:estare|voy a estar|existire)",
        r"perdon(?:enme|ame|adme)? por lo que voy a hacer",
        r"ya no (?:sere|voy a ser) una carga",
        r"(?:i|im) (?:wont|will not|not going to|am not going to|m not going to) be (?:here|around|alive) "
        r"(?:to see (?:\w+ ){0,3}(?:grow up|grow old|graduate|get married|turn \w+|finish school)|"
        r"(?:for|to see) another (?:christmas|birthday|year|summer|spring|winter|autumn|anniversary)(?= *(?:[.!?]|$)))",
        r"(?:said|saying|say) (?:my )?goodbyes?(?: to (?:\w+ ){0,2}\w+)?(?: on the phone| in person)? (?:without "
        r"(?:telling|letting|saying) (?:\w+ )?(?:know )?why|one last time|for the last time|before (?:i go for good|"
        r"im gone|i die|i do it|i end it|its too late))",
        r"despedirme(?: de \w+(?: \w+)?)?(?: \w+){0,4} (?:para siempre|antes de (?:irme para siempre|morir|morirme|"
        r"que sea tarde|hacerlo|irme de este mundo)|por ultima vez)",
        r"(?:no|nunca) (?:voy a|vere|podre) (?:ver|estar) (?:\w+ ){0,3}(?:crecer a mis hijos|a mis hijos crecer|"
        r"la proxima navidad|otro cumpleanos|otra navidad)",
    ),
    # ---------------------------------------------------------------- concern
    _r(
        "concern.wish_dead",
        rf"(?:want|wanna|wana|wanted|wish|wishing|would like|longing|desire) (?:to|i could)? ?(?:just )?die"
        rf"{_IDIOM_DEATH_EN}",
        r"wish(?:ing|ed)? (?:i|that i) (?:was|were|could be|d be|would be) dead",
        r"wish (?:i|that i) (?:wasnt|werent|was not|were not|didnt|did not) (?:alive|here|born|exist|wake up)",
        r"wish (?:i|that i) (?:had|d) never been born",
        r"(?:wish i could|wants? to|wanted to|wanna) (?:just )?(?:disappear (?:forever|for good|and never come back)|"
        r"stop existing|not exist|not wake up|go to sleep (?:forever|and never wake up)|"
        r"sleep (?:forever|and never wake up)|fall asleep and never wake up|cease to exist|vanish forever)",
        r"(?:better off|rather be) dead",
        r"(?:want|wanna|wish i could|need) to (?:stop being alive|stop living|not be alive|not live any ?more)",
        r"if i (?:didnt|did not|never|just didnt|just never|wouldnt|would not) (?:wake up|woke up|wake)",
        r"(?:id|i would) rather (?:die|be dead)(?! than)",
        r"(?:hope|hoping|pray|praying|prayed|wish|wishing) (?:that )?(?:i )?(?:dont|never|do not|wont|not to|would not|"
        r"wouldnt) (?:wake up|wake)",
        r"(?:sleep|go to sleep|fall asleep|close my eyes|go to bed) (?:and|&) (?:never|not|just not|not ever) "
        r"(?:wake|wake up|open them)",
        r"(?:dont|do not) want to (?:wake up|exist)(?: any ?more| tomorrow| again)?",
        r"want (?:it all|everything) to (?:end|stop|be over)",
        r"(?:me )?(?:quiero|quisiera|queria|deseo|desearia) (?:morir|morirme|estar muert[oa]|dejar de existir|"
        rf"desaparecer para siempre|no despertar|dormir y no despertar){_IDIOM_DEATH_ES}",
        rf"me (?:quiero|quisiera) morir{_IDIOM_DEATH_ES}",
        rf"(?:querer|quererme) (?:morirme|matarme|morir|dejar de existir){_IDIOM_DEATH_ES}",
        r"ojala (?:me muriera|me muera|estuviera muert[oa]|no despertara|no despertar|no hubiera nacido|"
        r"no existiera|desaparecer)",
        rf"ganas de (?:morir|morirme|desaparecer para siempre|no despertar|dejar de existir){_IDIOM_DEATH_ES}",
        r"(?:prefiero|preferiria) (?:estar muert[oa]|morir|morirme)(?! (?:de|antes|que))",
        r"mejor (?:estar )?muert[oa]",
        r"no quiero despertar(?:me)?",
        # Sleeping forever, stopping being.
        r"(?:wish i could|want to|wanna|wanted to|would like to|id like to|hope i|hoping to|id love to|could) (?:just )?"
        r"(?:fall asleep|go to sleep|sleep|close my eyes|lie down|drift off) (?:and )?(?:forever|for good|permanently|"
        r"and (?:never|not) (?:wake|open|get up)|and stay asleep)(?! (?:this|on|tomorrow|today|tonight|till|until|in|"
        r"after|lol|haha))",
        r"(?:want|wanna|wish i could|need|would like|id like) to (?:just )?stop (?:existing|breathing|living|being alive|"
        r"being here|being(?= *(?:[.!?,;]|$)))",
        r"stop being(?= *(?:[.!?]|$))",
        # Death as relief.
        r"(?:death|dying|being dead|not existing|not being here|not waking up|the idea of dying|the thought of dying|"
        r"never waking up) (?:sounds|seems|feels|looks|would be|would feel|is starting to (?:sound|look|feel)) (?:so |really |"
        r"kind of |kinda |quite |pretty |almost |like )?(?:peaceful|nice|good|easier|better|restful|welcome|appealing|"
        r"tempting|freeing|(?:a |such a )?(?:relief|rest|release|escape)|the only way out|the answer|an option)",
        r"(?:la muerte|morir|morirme|estar muert[oa]|no despertar|no existir) (?:me )?(?:suena|parece|seria|se siente) "
        r"(?:tan |muy |casi )?(?:tranquil[oa]|un alivio|un descanso|mejor|mas facil|la solucion|la unica salida|"
        r"una salida|bonit[oa]|apetecible|atractiv[oa])",
        # Hoping for an accident or illness that ends it.
        r"(?:wish|hope|hoping|wishing|pray|praying|wouldnt mind if|wouldnt be (?:so |that |too )?bad if|wouldnt care if)"
        r"(?: \w+){0,2} (?:a |the |some )?(?:car|truck|bus|train|lorry|plane|something|someone|anything)(?: \w+)? "
        r"(?:would |to |will |just )?(?:hit|hits|run over|runs over|ran over|crash|crashes|crashed|kill|kills|killed|"
        r"happen|happens|happened) (?:me|into me|to me)",
        r"(?:wish|hope|hoping|wishing|pray|praying)(?: \w+){0,2} (?:a |the |some )?(?:car|truck|bus|train|lorry|someone)"
        r"(?: \w+)? (?:would |to |will |just )?(?:run|runs|ran) me (?:over|down)",
        r"(?:hope|hoping|wish|wishing|pray|praying) (?:that )?i (?:get|got|would get|could get|will get) (?:hit|run over|"
        r"run down|killed|struck) by (?:a|the|some)",
        r"(?:hope|wish|pray|hoping|wishing|praying) (?:that )?(?:the|my|our) plane (?:crashes|goes down|would crash|went down)",
        r"(?:hope|hoping|wish|pray|praying) (?:that )?i (?:get|got|catch|would get|caught) (?:sick|ill|cancer|hit|"
        r"something)(?: \w+){0,2} (?:and|that) (?:dont|never|do not|wont|wouldnt|would not|doesnt) (?:recover|get better|"
        r"wake up|make it|survive|go away)",
        r"(?:hope|hoping|wish|pray|praying) (?:that )?i (?:dont|never|do not|wont|would not) (?:recover|get better|survive)",
        r"ojala (?:me )?(?:atropell\w+|pillara un coche|me pase algo|me pasara algo|me diera algo|me enfermara|"
        r"me muriera|me muera|me durmiera y no)",
        r"(?:quisiera|deseo|espero|rezo para|rezo por) que (?:me )?(?:atropell\w+|pase algo|pasara algo|de algo|diera algo)",
        # "Ojalá me durmiera y no me despertara", "dormir y no despertar".
        r"(?:ojala|quisiera|quiero|me gustaria|deseo|espero|rezo para|rezo por|preferiria)(?: \w+){0,5} (?:no|nunca) (?:me )?"
        r"(?:despertar|despertara|despertase|despertarme|volver a despertar|vuelva a despertar|volviera a despertar)"
        r"(?! (?:temprano|tarde|tan|a las|antes|con|al|para|a tiempo))",
        r"dormir(?:me)? (?:y no (?:despertar(?:me)?|volver a despertar)|para siempre(?! (?:este|el|hoy|manana|esta|"
        r"hasta|jaja)))",
        r"(?:ganas de|quiero|quisiera|me gustaria|ojala pudiera|deseo|pienso en) desaparecer (?:y no volver|para siempre|"
        r"de este mundo|del mundo(?! un))",
        r"(?:voy a|quiero|deberia|mejor|me gustaria) quitarme de en medio|me (?:voy a|quiero|deberia) quitar de en medio",
        rf"mejor me (?:muero|mato){_IDIOM_DEATH_ES}",
    ),
    _r(
        "concern.burden",
        r"(?:im|i am|i feel like|i feel like im|feel like|i feel like i am|being|just|such|only) (?:such |just |only |"
        r"nothing but |a ){0,3}(?:a )?burden(?! (?:on|to) (?:no one|nobody|noone|anyone))",
        r"(?:a )?burden (?:to|on|for) (?:everyone|everybody|you|him|her|them|my|the people|people|anyone)",
        r"better off without me",
        r"(?:no one|nobody|noone|no body) (?:would|will|d) (?:care|notice|miss me|be sad)(?: \w+){0,2} if i "
        r"(?:died|was gone|were gone|disappeared|wasnt here|werent here|was dead|killed)",
        r"(?:world|everyone|everybody|they|he|she|you) (?:would|will|d) be (?:better|happier|fine) without me",
        r"(?:would|will|d) be (?:better|happier|fine|easier|better off|lighter) (?:\w+ ){0,2}if i (?:was|were) "
        r"(?:gone|dead|not here|not around|not alive)",
        r"(?:would|will|d) be (?:better|happier|fine|easier|better off|lighter) (?:\w+ ){0,2}if i "
        r"(?:just |simply |were |was )?(?:died|disappeared|wasnt (?:here|around|alive)|werent (?:here|around|alive)|was never born)",
        r"(?:relieved|better off|happier|freer|lighter) (?:\w+ ){0,2}if i (?:was|were) (?:gone|dead|not here|not around)",
        r"if i (?:was|were|am) (?:dead|gone)(?! for| on| to| away| out| by| until| from)",
        r"in (?:everyones|everybodys) way",
        r"soy (?:una|un) (?:carga|estorbo|lastre)",
        r"(?:siento que|creo que|solo|yo) estorbo",
        r"(?:siento que|creo que|yo) sobro|sobro en (?:este mundo|todas partes|todos lados|esta casa|esta familia)",
        r"(?:estarian|estaria|estarias|serian|seria|vivirian|viviria) (?:\w+ )?(?:mejor|mas felices|mas feliz) sin mi",
        r"(?:mejor|mas felices|mas feliz) sin mi",
        r"nadie (?:me )?(?:extranaria|echaria de menos|notaria|lloraria)",
        r"(?:nobody|no one|noone) (?:would|will|d|is going to|gonna) (?:even |really |ever )?(?:miss me|notice (?:if|that) i|"
        r"care (?:if|that) i|cry (?:for|over) me)",
        r"solo (?:estorbo|molesto a todos|soy un problema)",
        # "they'd be lighter without me around", "he'd be happier ... with me gone", "if I wasn't in the picture".
        rf"\bbe (?:(?:so|much|a lot|far|all|way|even|just) ){{0,2}}{_BETTER}(?: [\w,]+){{0,6}}? {_WITHOUT_ME}",
        r"with me (?:gone|out of the (?:way|picture)|dead)(?! (?:for|on|this|tonight|away|to|at|until|till))",
        r"(?:everyone|everybody|they|the kids|my (?:kids|family|children)|he|she|you|the world)(?: would| will|d|ll)? "
        r"(?:all )?be better off(?= *(?:[.!?;]|$|honestly|really|tbh))",
        r"(?:im|i am|i feel like (?:im|i am)?|feel like|being|just|only|such|nothing but) (?:such |just |only |nothing but |"
        r"a |a huge |a big |dead |the ){0,3}(?:weight|dead weight|drain|millstone|liability) (?:on|to|for|around|in) "
        r"(?:him|her|them|everyone|everybody|you|my|the|his|their|us|this|our)",
        r"(?:im|i am|i feel like (?:im|i am)?|feel like|being|just|only|such|nothing but) (?:just |only |such |nothing but )?"
        r"dead weight",
        r"(?:im|i am|i feel like|feel like|such|just|only|nothing but) (?:such |just |only |nothing but |a |the ){0,3}"
        r"waste of (?:space|oxygen|air|skin|a (?:person|human|life))",
        r"(?:im|i am|i keep|i just|i only|all i do is) (?:dragging|pulling|bringing|weighing) (?:\w+ )?(?:everyone|everybody|"
        r"them|him|her|you|the family|my family|us all|the kids) down(?= *(?:[.!?,;]|$| with me| all the time| again| too))",
        r"(?:no one|nobody|noone|no body|he|she|they) (?:would|will|d|wouldnt|is going to|gonna) (?:even |really |ever |"
        r"actually )?(?:care|notice|miss me|be sad|cry|mind)(?: \w+){0,3} if i (?:died|was gone|were gone|disappeared|"
        r"wasnt here|werent here|was dead|killed myself|didnt wake up|never woke up|was gone for good)",
        r"if i (?:died|was gone|were gone|was dead|were dead|disappeared|wasnt here|werent here|wasnt around|"
        r"killed myself|didnt wake up|never woke up)(?: tomorrow| today| tonight| now)?[^.!?]{0,50}\b(?:would|wouldnt|"
        r"d|might|even)\b(?: \w+){0,3} (?:care|notice|cry|miss|mind|be (?:sad|happier|better|relieved|fine))",
        # Spanish: "soy un peso para", "estaría mejor con otra y sin mí", "si me muero nadie lo notaría".
        r"(?:soy|me siento|siento que soy|seria) (?:un|una) (?:peso|carga|estorbo|lastre|molestia) (?:para|en|sobre)",
        rf"(?:estaria|estarian|estarias|seria|serian|vivirian|viviria|irian|iria|quedarian|quedaria)(?: \w+){{0,4}} "
        rf"{_ES_MEJOR}(?: [\w,]+){{0,5}}? {_ES_SIN_MI}",
        rf"{_ES_MEJOR}(?: \w+){{0,3}} si (?:yo )?(?:ya )?(?:no estuviera|no existiera|no estuviese|desapareciera|"
        r"me muriera|me fuera para siempre|no hubiera nacido|dejara de existir)",
        r"si (?:yo )?(?:me muero|me muriera|muriera|desapareciera|me fuera para siempre|no estuviera|ya no estuviera|"
        r"dejara de existir)[^.!?]{0,50}\b(?:nadie|notar\w*|extran\w*|echar\w* de menos|llorar\w*|importar\w*|"
        r"mejor|tranquil\w*|feliz|felices|aliviad\w*)",
        r"nadie (?:lo |se |me )?(?:\w+ ){0,2}(?:notaria|daria cuenta|importaria|lloraria|extranaria|echaria de menos) "
        r"(?:\w+ ){0,2}si (?:yo )?(?:me muero|me muriera|muriera|desapareciera|me fuera|no estuviera|dejara de existir)",
        r"(?:les|le|te|os) (?:estorbo|sobro)",
        check_negation=False,
    ),
    _r(
        "concern.no_reason_to_live",
        r"no (?:reason|point|purpose) (?:to|in|for) (?:live|living|go on|going on|being alive|keep going|"
        r"keeping going|be alive|being here|staying alive|carry on|carrying on|life|exist|existing)",
        r"nothing (?:left )?to live for",
        r"(?:life|living|my life|this life)(?: \w+){0,2} (?:isnt|is not|aint|not|wasnt|never) worth (?:living|it)",
        r"(?:life|living|my life) (?:is )?(?:pointless|meaningless|not worth it)",
        r"(?:whats|what is|wheres) the point (?:of|in) (?:living|life|going on|being alive|anything any ?more|"
        r"me|existing|staying alive|even trying)",
        r"(?:dont|do not|didnt|no longer) (?:really |even |honestly |actually |truly |think i )?(?:want|wanna|wish) "
        r"(?:to )?(?:live|be alive|exist|be here|be around|"
        r"go on|keep living|carry on)(?: any ?more| any longer| like this)?",
        r"(?:dont|do not|cant|cannot) see (?:the|any) (?:point|reason) (?:of|in|to|for) (?:living|life|going on|"
        r"anything|being alive|carrying on)",
        r"(?:not|never) (?:want|wanna) (?:to )?be (?:here|alive|around) (?:any ?more|any longer)",
        r"(?:dont|do not) (?:think|know if|feel like|even know if) i (?:want|wanna) (?:to )?(?:live|be alive|be here|"
        r"exist|go on|keep living)",
        r"(?:life|living|my life|everything) (?:feels|seems|is|has been|just feels) (?:so |completely |totally )?"
        r"(?:pointless|meaningless)",
        r"not wanting to (?:be alive|live|be here any ?more|exist|wake up|go on)",
        r"(?:tired|sick|exhausted|weary) of (?:living(?! (?:out|in|with|next|on|under|paycheck|like (?!this)|here|there|"
        r"apart|together|alone|at|from|so far|by))|being alive|life(?! (?:in|as|at|with|without|on|here|there|like (?!this)))|"
        r"existing|waking up)",
        r"(?:theres|there is|its|is) no point (?:any ?more|in anything|to anything|to any of it|in trying any ?more|"
        r"in me)",
        r"(?:cansad[oa]|harto|harta|agotad[oa]) de (?:vivir(?! (?:en|con|asi|aqui|alli|lejos|de|sol[oa]))|"
        r"estar viv[oa]|la vida(?! (?:en|de|con|que))|existir)",
        r"(?:seria|es|sería) mejor (?:morirme|morir|estar muert[oa]|no estar|no existir|desaparecer para siempre)",
        r"(?:me gustaria|quisiera|quiero|ojala|preferiria) no (?:existir|despertar|haber nacido|estar viv[oa])",
        r"(?:cant|cannot|dont|do not) see (?:a|any) future (?:for me|for myself|at all|any ?more)",
        r"why (?:should i|do i even|do i|bother|even) (?:keep )?(?:going on|living|live|be alive|keep going)",
        r"no (?:tengo|hay|encuentro|veo|le veo|tiene) (?:ninguna |ningun |ni una |mas )?(?:razon|razones|motivo|"
        r"motivos|sentido|proposito|por que|porque) (?:para|de|en|a)? ?(?:vivir|seguir viviendo|seguir vivo|"
        r"seguir viva|la vida|mi vida|estar vivo|estar viva|existir|nada)",
        r"no vale la pena (?:vivir|seguir|seguir viviendo|estar vivo|estar viva|la vida)",
        r"(?:la vida|mi vida|vivir) no (?:vale|tiene) (?:la pena|sentido|ningun sentido)",
        r"(?:ya )?no quiero (?:vivir|seguir viviendo|estar vivo|estar viva|existir|seguir aqui|estar aqui)"
        r"(?: mas| asi)?",
        r"para que (?:vivir|seguir viviendo|seguir vivo|seguir viva|estar vivo|estar viva|existo)",
        r"no le (?:veo|encuentro) (?:el )?sentido a (?:la vida|vivir|mi vida|nada|seguir)",
        # "what the point of me even is", "what's even the point anymore".
        r"(?:the )?point (?:of|in) me(?= *(?:[.!?,;]|$| even| is| any ?more| being (?:here|alive|around)| existing| living))",
        r"(?:whats|what is|wheres|theres|there is|its|is) (?:even |really |honestly |just )?(?:no |the )?point"
        r"(?: any ?more| of (?:it all|any of it|anything|me|my life|being alive|going on)| in (?:it all|any of it))",
        r"why i (?:should|would|even|would even|should even) (?:keep going|go on|keep living|carry on|bother living|"
        r"stay alive|be here|exist)(?! to| with| at| back| out| on with| through| like)",
        r"(?:dont|do not|cant|cannot) care (?:if|whether) i (?:live|die|wake up|make it|survive|am alive|exist)",
        r"(?:dont|do not) care (?:about )?(?:living|being alive|staying alive) any ?more",
        r"me (?:da|daria|dara) (?:igual|lo mismo) (?:vivir o morir|si (?:me muero|vivo o muero|muero|despierto|"
        r"no despierto|amanezco)|morir(?:me)?)",
        r"para que (?:sigo (?:aqui|viv[oa]|en este mundo|viviendo)|existo|sigo(?= *(?:[.!?,;]|$))|vivo(?= *(?:[.!?,;]|$)))",
        r"no tiene (?:ningun )?sentido (?:seguir(?= *(?:[.!?,;]|$| asi| viviendo| aqui| en este mundo))|vivir|existir)",
        r"(?:cansad[oa]|hart[oa]|agotad[oa])(?: [\w,]+){0,6} de (?:vivir(?! (?:en|con|asi|aqui|alli|lejos|de|sol[oa]))|"
        r"existir|estar viv[oa]|seguir viv[oa])",
        check_negation=False,
    ),
    _r(
        "concern.thoughts_of_death",
        rf"(?<!we )(?<!were )(?<!we are )(?<!were been )(?:thinking|thought|think|thoughts|thinkin|dreaming|fantasi[sz]ing|fantasies) (?:a lot |so much |again )?"
        rf"(?:about|of) (?:{_SUICIDE}|{_KILL_SELF}|{_KILL}ing my ?self|dying|death|my death|my own death|"
        r"ending (?:it|my life|things|everything)|not being (?:here|alive|around)|being dead|taking my (?:own )?life|"
        r"how to die|killing myself|my funeral|ways to die)",
        rf"(?:im|i am|i feel|feel|feeling|felt|been|so|very|really|pretty|super|kinda|quite) {_SUICIDE}",
        rf"{_SUICIDE} (?:thoughts?|ideation|feelings?|urges?|again|lately|tonight|today|these days|all the time)",
        r"(?:keep|kept|cant stop|always) (?:thinking|picturing|imagining|fantasi[sz]ing)(?: about)? (?:my )?"
        r"(?:own )?(?:death|funeral|dying|being dead|not being here)",
        r"(?:pense|pienso|pensando|pensamientos|pensaba|he pensado|sigo pensando|fantaseo|fantaseando) "
        r"(?:mucho |otra vez |de nuevo )?(?:en|de|con) (?:suicidarme|matarme|la muerte|mi muerte|morir|morirme|"
        r"quitarme la vida|el suicidio|suicidio|no estar|desaparecer|acabar con (?:todo|mi vida))",
        r"(?:ideas|ideacion|pensamientos|impulsos) (?:suicidas|de suicidio|de muerte|de matarme)",
        r"(?:me siento|estoy|ando) suicida",
        r"(?:picture|picturing|imagine|imagining|think about|thinking about|thought about|planning|plan|dream about|"
        r"dreaming about|visuali[sz]e|visuali[sz]ing)(?: \w+){0,4} (?:at |about |of )?my (?:own )?funeral",
        r"(?:imagino|imaginando|pienso|pensando|planeando|planeo)(?: \w+){0,5} mi (?:propio )?funeral",
        # "thoughts that I should just end it", "maybe I should just not be here".
        r"i (?:should|might as well|may as well|ought to|need to) (?:just )?(?:end it|end it all|end things|end everything|"
        r"end my life|die|not be here|not exist|disappear forever|not be alive|go away forever)"
        r"(?! (?:with|between|for now|early|here|there|on|at|before))",
        r"(?:deberia|tendria que|mejor) (?:morirme|morir|desaparecer para siempre|no estar aqui|no existir|"
        r"acabar con (?:todo|mi vida))",
        r"(?:going to|gonna|might|about to|scared (?:i|ill)|afraid (?:i|ill)|worried (?:i|ill)|will|wont|not gonna|"
        r"not going to) do (?:something|anything) (?:stupid|drastic|permanent|i cant take back)(?! like)",
        r"(?:hacer|haga|hacer alguna) (?:una )?(?:locura|tonteria|estupidez) (?:conmigo|de la que no)",
        check_negation=False,
    ),
    _r(
        "concern.self_harm_urge",
        r"(?:want|wanna|wana|urge|urges|need|tempted|feel like|craving|itching|wanted|wanting|thinking about|"
        r"thought about|cant stop thinking about) (?:to |of |so bad to |so badly to )?"
        r"(?:cut|cutting|hurt|hurting|harm|harming|burn|burning|punish|punishing|scratch|hit) (?:my ?self|again)"
        rf"{_NOT_SELF_HARM}",
        r"(?:urge|urges|craving|cravings) to (?:cut|self harm|selfharm|hurt|burn)",
        r"(?:self harm|selfharm|self harming|self injury|self injure|sh) (?:urges?|again|cravings?|thoughts)",
        r"(?:want|wanna|going) to (?:self harm|selfharm|sh|relapse)",
        r"(?:ganas|necesidad|impulso|impulsos|tentacion|tentada|tentado) (?:de|a) (?:cortarme|hacerme dano|"
        r"lastimarme|autolesionarme|quemarme|castigarme|golpearme)",
        r"(?:quiero|quisiera|necesito|me dan ganas de|tengo ganas de) (?:cortarme|hacerme dano|lastimarme|"
        r"autolesionarme|quemarme|golpearme)",
        r"me (?:quiero|voy a|dan ganas de) (?:cortar|hacer dano|lastimar|autolesionar|quemar)",
        rf"(?:cutting|hurting|harming|burning|hurt|harm|cut) my ?self{_NOT_SELF_HARM}",
        r"hacerme dano",
        r"(?:thought|thoughts|urge|urges|idea|pull|temptation|itch) (?:of|about|to) (?:cutting|self harm\w*|selfharm\w*|"
        r"hurting myself|harming myself|burning myself)",
        r"(?:cutting|self harming|selfharming|hurting myself|burning myself) again",
        r"(?:scratch|scratching|hit|hitting|punch|punching|bite|biting|pick|picking|dig|digging|claw|clawing|cut|"
        r"cutting|burn|burning|bang|banging)(?: at)? (?:my ?self|my (?:\w+ )?(?:arms?|skin|legs?|face|head|wrists?|"
        r"hands?|thighs?)) (?:until|till|til|so hard) (?:(?:it|they|i) )?(?:bleed|bleeds|bruise|bruises|break the skin|"
        r"breaks the skin|leave marks)",
        r"(?:ganas de|quiero|necesito)(?: \w+){0,4} hasta (?:sangrar|hacerme sangre|que (?:me )?sangr\w+|dejarme marcas)",
        r"(?:ganas|impulso|impulsos|tentacion) de (?:volver a )?(?:cortarme|hacerme dano|lastimarme|quemarme)",
    ),
    _r(
        "concern.cant_go_on",
        r"(?:ya )?no (?:aguanto|puedo|soporto) (?:mas|con (?:mas|todo|esto|mi vida|esta vida))(?= *(?:[.!?,;]|$|"
        r"y |con (?:todo|esto|esta vida|mi vida)|esta vida))",
        r"no puedo (?:seguir|continuar) (?:asi|viviendo asi|con (?:esta vida|mi vida))",
        r"(?:me rindo|renuncio) (?:con|a) (?:todo|la vida|vivir)",
        r"i (?:cant|cannot|can not) (?:take|handle|bear|do|stand) (?:it|this|any of this|this life|life|living)"
        r" (?:any ?more|any longer)(?!,? (?:with|at|in|on|about) (?:this|the|that|these|those|his|her|my|our|work|"
        r"school)(?! (?:life|pain|feeling|feelings|thoughts|head|mind)))(?!,? the (?:commute|job|printer|traffic))",
        r"i (?:cant|cannot|can not) (?:go on|keep going|carry on)(?! with| like this with| to)",
        r"(?:giving up|give up|given up|gave up) on (?:life|living|everything|myself)",
        r"(?:dont|do not) know how (?:much )?(?:longer|long) i can (?:keep (?:living|going|doing this|going on)|"
        r"live|go on|hold on|do this|take this|last)",
        check_negation=False,
    ),
    # Mentions about others or the topic in general, e.g. a documentary or a friend's loss.
    _r(
        "concern.mention",
        rf"(?<!was )(?<!is )(?<!its )(?<!fue )(?<!es un )(?<!fue un )(?<!be )(?<!career )(?<!social )(?<!political )"
        rf"{_SUICIDE}(?! squad| doors?| run| drill| prevention| awareness)",
        r"(?:he|she|they|my \w+) (?:told \w+ (?:\w+ )?(?:that )?)?(?:he |she |they )?(?:wants|want|wanted|keeps wanting) to die",
        r"(?:dice|dijo|le dijo a \w+(?: \w+)? que) (?:que )?(?:se )?quiere morir(?:se)?",
        r"(?:says|said|thinks|keeps saying) (?:that )?(?:we|everyone|we d|wed|the kids) (?:are|would be|d be|be) better off "
        r"without (?:him|her|them)|(?:dice|dijo|cree) que (?:estamos|estariamos|estarian|estan) mejor sin (?:el|ella)",
        r"self harm|selfharm|self harming|self injury|autolesion\w*",
        rf"{_KILL}(?:ed|s|ing)? (?:him|her|them|your|our) ?(?:self|selves){_OVERWORK}",
        r"(?:took|take|taken|taking) (?:his|her|their) (?:own )?li(?:fe|ves)",
        r"killed (?:himself|herself|themselves)",
        r"se (?:suicido|quito la vida|ahorco)|suicidi\w*",
        check_negation=False,
    ),
    # First-person "kill myself" that none of the above placed; conditional or hyperbolic uses land
    # here ("I'd kill myself if..."), which is concern, not nothing.
    _r("concern.thoughts_of_death", rf"{_KILL_SELF}{_OVERWORK}", r"matarme|suicidarme|quitarme la vida"),
)
# One pattern per alternative, each with its own gate, so a text only pays for the alternatives whose
# literal pieces it contains. (One large alternation per rule was tried at every word boundary of
# every text: about 0.8 ms of a 500-character entry on a slow machine, against about 0.3 ms now.)
_RULES: tuple[_Rule, ...] = tuple(rule for group in _RULE_GROUPS + _CONSTRUCT_GROUPS for rule in group)

# Every word the rules spell out is a word as written, never a misspelling of another risk word
# ("muero" is not "muerto", "shaving" is not "saving"). Only runs of letters are read from the sources.
_typos.add_known(
    frozenset(w for rule in _RULES for w in re.findall(r"[a-z]{4,}", rule.pattern.pattern))
)

_NEGATORS = frozenset(
    {
        "not", "never", "no", "dont", "wont", "wouldnt", "cant", "cannot", "isnt", "aint", "didnt",
        "doesnt", "shouldnt", "couldnt", "nunca", "jamas", "ni", "nope",
    }
)
_SUBJECTS = frozenset({"i", "im", "ill", "ive", "id", "yo"})
_CLAUSE_BREAK = re.compile(r"[.!?;,:\n()\[\]]|\b(?:and|but|so|because|pero|y|porque|aunque|then|entonces)\b")
_WORD = re.compile(r"[a-z]+")
_HISTORY = re.compile(
    r"\b(?:years? ago|(?:when|back when) i was (?:a |\d+|in|young|little|younger|a teenager|fifteen|sixteen)|"
    r"as a (?:kid|teen|teenager|child)|in (?:high school|college|my teens|my twenties|university|school)|"
    r"back in (?:19|20)\d\d|in (?:19|20)\d\d|hace (?:\d+ |unos |muchos |varios |un par de )?anos|"
    r"cuando (?:era|tenia|estaba en)|de (?:nina|nino|adolescente|joven|chica|chico)|"
    r"en (?:la prepa|la secundaria|el instituto|la universidad))\b"
)
_SENTENCE_END = re.compile(r"[.!?\n]")

# Self-harm words next to an everyday accident in the same sentence ("me corté cortando cebolla",
# "burned my arm on the oven") are not self-harm. A negated accident ("it wasn't an accident") is ignored.
_SELF_HARM_RULES = frozenset({"urgent.self_harm_recent", "concern.self_harm_urge"})
# Dying of embarrassment or laughter, in the same sentence as a wish to die or "killed myself": an idiom.
_DEATH_IDIOM_RULES = frozenset({"concern.wish_dead", "concern.thoughts_of_death"})
_EMBARRASSED = re.compile(
    r"\b(?:so embarrassed|embarrassed|embarrassing|mortified|cringe|cringey|laughing|laughed|lmao|lol|haha\w*|"
    r"que oso|q oso|oso|riendo|risa|jaja\w*|de la verguenza|de verguenza|de la berguenza|que verguenza|ay no|oops|"
    r"whoops|se me olvido|en plena junta|en plena reunion|delante de todos|in front of everyone|in front of the whole)\b"
)
_ACCIDENT = re.compile(
    r"\b(?:accidentally|by accident|cooking|chopping|slicing (?:the )?(?:bread|onions?|vegetables)|peeling|onions?|"
    r"vegetables|shaving(?! (?:kit|bag|razor))|gardening|pruning|paper cut|broken glass|the glass broke|"
    r"(?:on|with) (?:the|a) (?:stove|oven|iron|kettle|pan|hob|grill|tray|baking tray|curling iron|hair straighteners)|"
    r"sin querer|por accidente|cocinando|cortando (?:cebolla|pan|verdura|tomate|fruta|carne|papas|patatas)|cebolla|"
    r"pelando|afeitandome|con (?:el horno|la plancha|el aceite|la sarten|la olla)|en el jardin|un vidrio roto|"
    r"se rompio|con (?:la|el|una|un) (?:tapa|lata|vapor|tetera|olla|sarten|horno|orno|plancha|plnacha|estufa|hervidor|comal|"
    r"cafetera|vidrio|papel|parrilla|lija|rama|puerta)|(?:on|with) (?:the|a|an) (?:lid|can|tin|steam|iron|grater|"
    r"mandoline|door|branch|fence|nail|rose bush|thorn)|slipped|tripped|fell (?:off|over|down)|me resbale|me cai|"
    r"bandeja|horno|sacando (?:la|el|las|los) \w+|ampolla|galletas|haciendo (?:la )?(?:cena|comida)|al cocinar|"
    r"baking|the oven|a blister|making (?:dinner|lunch|breakfast)|tortillas|el comal)\b"
)
# "it wasn't an accident", "no fue sin querer": a denied accident does not excuse anything.
_ACCIDENT_DENIED = re.compile(
    r"\b(?:not|no|never|wasnt|werent|isnt|arent|aint|nunca|nada de)(?: \w+)?(?: (?:an|a|un|una))? *$"
)

# Farewell cues. One alone is everyday ("thank you for everything", "look after the kids"). Weak cues
# also close birthday cards and break-up notes, so a goodbye needs two different cues of which at least
# one is strong, or any cue next to thoughts of death.
_FAREWELL_WEAK = (
    r"thank(?:s| you) (?:so much )?for everything(?= *(?:[.!?,;]|$))",
    r"sorry (?:for everything(?= *(?:[.!?,;]|$))|it (?:ended|had to end|came to this))",
    r"love you all",
    r"(?<!said )(?<!say )(?<!saying )(?:goodbye|farewell)\b(?! to)",
    r"dont be (?:sad|angry|mad)(?= *(?:[.!?,;]|$| at me| with me))",
    r"gracias por todo(?= *(?:[.!?,;]|$))",
    r"(?:los|las|os|les) quiero(?: mucho| a todos)?(?= *(?:[.!?,;]|$))",
    r"(?<!dije )(?<!decir )adios\b",
    r"(?:chao|chau)\b(?! (?:pescao|nos vemos|hasta manana|besos|cuidate))",
    r"(?:se acabo|todo termino) para mi(?= *(?:[.!?,;]|$))|(?:its|it is) over for me(?= *(?:[.!?,;]|$))",
    r"hasta nunca(?= *(?:[.!?,;]|$))",
)
_FAREWELL_STRONG = (
    r"sorry for (?:being )?(?:such )?a (?:burden|mess|disappointment|failure)",
    r"(?:look after|take care of|care for) (?:the kids|my (?:kids|children|dog|cat|babies|family|mum|mom|dad|plants|"
    r"pets)|each other|everyone)(?: for me)?(?= *(?:[.!?,;]|$))",
    r"forgive me(?= *(?:[.!?,;]|$| for (?:what|everything|this)))",
    r"dont blame (?:yourself|yourselves|him|her|anyone)",
    r"(?:its|it is|this is|it was|it wasnt|it isnt) (?:not )?(?:your|anyones) fault(?= *(?:[.!?,;]|$))",
    r"you did everything you could",
    r"remember me (?:as|for|the way|when|kindly|happy)",
    r"thank(?:s| you) for trying",
    r"last time (?:ill|i will|im going to|i) (?:ever )?(?:write|post|talk|see you|use)",
    r"(?:im|i am) (?:finally )?at peace",
    r"deleted (?:all )?my (?:accounts|social media|profiles?)",
    r"perdon(?:ad|en|ame|enme|adme)? por todo|lo siento (?:mucho )?por todo",
    r"cuid(?:en|ad|a|ame|enme) (?:a |de )?(?:mis hijos|mi perro|mi gato|los ninos|mis ninos|mi familia|mis mascotas|"
    r"unos de otros|mama|papa)",
    r"no (?:es|fue) (?:tu|vuestra|su) culpa(?= *(?:[.!?,;]|$))|no (?:se culpen|te culpes|os culpeis)",
    r"recuerd(?:en|enme|adme|ame) (?:como|con|feliz)",
    r"me despido",
    r"no (?:lloren|llores|llore) (?:mucho|por mi)|(?:dont|do not) cry (?:for|over) me",
    r"ultima vez que (?:escribo|escribire|te escribo)",
    r"borre (?:todas )?mis (?:cuentas|redes)",
    r"(?:this is )?my (?:last|final) (?:check ?in|entry|post|message|note)|(?:last|final) (?:check ?in|entry)(?= *(?:[.!?,;]|$))",
    r"(?:its|it is|it was|it wasnt) (?:never|not) (?:anyones|your|anybodys) fault",
    r"none of (?:it|this) (?:is|was) (?:your|his|her|their|anyones) fault|nada de esto (?:es|fue) (?:tu|su) culpa",
    r"gracias por (?:aguantarme|soportarme|bancarme|tenerme paciencia)|thank(?:s| you) for putting up with me",
    r"i (?:really )?tried(?= *(?:[.!?,;]|$))|i did try(?= *(?:[.!?,;]|$))",
    r"(?:mi|esta es mi) (?:ultima|ultimo) (?:entrada|registro|mensaje|nota)|(?:ultima entrada|ultimo registro)",
    r"de verdad lo intente(?= *(?:[.!?,;]|$))|lo intente todo(?= *(?:[.!?,;]|$))",
    r"no me (?:busquen|busques|vayan a buscar)|dont (?:come )?look(?:ing)? for me|(?:esta vez|this time) (?:es|its|it is) "
    r"(?:en serio|for real)",
)
# One scan without capturing groups (they would switch off the engine's fast literal skip); a match is
# then classed strong or weak on its own, and two cues count as different when their words differ.
_FAREWELL = re.compile(r"\b(?:" + "|".join(_FAREWELL_WEAK + _FAREWELL_STRONG) + ")")
_FAREWELL_STRONG_RE = re.compile("|".join(_FAREWELL_STRONG))


# A decision or a time, which next to thoughts of death or self-harm urges makes them urgent.
_DECISION = re.compile(
    r"\b(?:(?:ive |i have |i )?(?:made up my mind|decided|made (?:the|my) decision|made my choice)(?= *(?:[.!?]|$))|"
    r"my mind is made up|(?:tonight|tomorrow|this weekend|friday|saturday|sunday|monday|tuesday|wednesday|thursday)"
    r"(?: is|s) the (?:night|day)|todays the day|"
    r"(?:i have|ive got|ive made|i made|i got) a plan(?= *(?:[.!?]|$| for (?:tonight|tomorrow|friday|saturday|sunday|"
    r"monday|tuesday|wednesday|thursday|the weekend|this weekend|when)))|i know (?:exactly )?how (?:ill|i will|im going to|"
    r"to) do it|(?:picked|chosen|chose|set) (?:a|the) (?:date|day)|its time(?= *(?:[.!?]|$))|"
    r"(?:im|i am) ready(?= *(?:[.!?]|$))|ya (?:lo )?(?:tengo |he )?decidid[oa]|ya lo decidi|ya tome la decision|"
    r"tengo un plan|ya tengo todo(?: listo| preparado| pensado)?|esta noche es la noche|hoy es el dia|"
    r"estoy list[oa](?= *(?:[.!?]|$))|ya es hora(?= *(?:[.!?]|$))|ya elegi (?:el|la) (?:dia|fecha)|"
    r"(?:tonight|today|tomorrow|this weekend|esta noche|hoy|manana|este fin de semana)(?: \w+){0,3} (?:going to|gonna|"
    r"will|ill|im going to|voy a|lo voy a) (?:do it|hacerlo)(?= *(?:[.!?,;]|$))|lo (?:voy a )?hago (?:esta noche|hoy|manana)"
    r"(?= *(?:[.!?,;]|$)))\b"
)
_MEANS_AT_HAND = re.compile(
    rf"\b(?:i have|ive got|i got|i bought|got|tengo|ya tengo|compre) (?:the|enough|all the|all my|my|las|mis|la|una|"
    rf"suficientes) {_MEANS}(?= *(?:[.!?,;]|$| ready| here| with me| listas?| aqui))"
)
_IDEATION = frozenset(
    {
        "concern.wish_dead", "concern.burden", "concern.no_reason_to_live", "concern.thoughts_of_death",
        "concern.cant_go_on", "concern.self_harm_urge",
    }
)


def _negated(norm: str, start: int) -> bool:
    """True when a negator sits just before ``start`` in the same clause, before any new subject."""
    window = norm[max(0, start - 40) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    words = _WORD.findall(window)[-3:]
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if w in _NEGATORS:
            return True
        if w in _SUBJECTS:
            # A new subject between the negator and the match starts a new clause:
            # "I can't sleep, I'm going to..." is not negated.
            return False
    return False


def _sentence(norm: str, start: int, end: int) -> tuple[int, int]:
    left = norm.rfind(".", 0, start)
    for ch in "!?\n":
        left = max(left, norm.rfind(ch, 0, start))
    m = _SENTENCE_END.search(norm, end)
    return left + 1, (m.start() if m else len(norm))


def _historical(norm: str, start: int, end: int) -> bool:
    left, right = _sentence(norm, start, end)
    return _HISTORY.search(norm, left, right) is not None


def _accidental(norm: str, start: int, end: int) -> bool:
    left, right = _sentence(norm, start, end)
    return any(
        not _ACCIDENT_DENIED.search(norm, max(left, m.start() - 30), m.start())
        for m in _ACCIDENT.finditer(norm, left, right)
    )


_ES_WORDS = frozenset(
    "el la los las de que y en un una es no me mi por con para pero se lo le muy mas estoy quiero hoy "
    "porque esta este esto yo tengo siento ya nada todo".split()
)
_EN_WORDS = frozenset(
    "the and is it to of i my me you a in that was he she we not but with for so im dont this "
    "just feel today want have been are at".split()
)


def _language_hint(norm: str, raw: str) -> str | None:
    es = en = 0
    for w in _WORD.findall(norm):
        if w in _ES_WORDS:
            es += 1
        if w in _EN_WORDS:
            en += 1
    if any(c in raw for c in "ñÑ¿¡"):
        es += 2
    if es >= 2 and es > en:
        return "es"
    if en >= 2 and en > es:
        return "en"
    return None



# --------------------------------------------------------------------------------------------
# Preparing the text: misspellings read as the risk word, fillers after "I" set aside
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z]+")
# Adverbs and hedges between the subject and the verb ("I honestly just want to die", "im literally
# going to"): the rules read the sentence without them, so a harmless word cannot hide a disclosure.
_FILLERS_EN = (
    r"just|really|honestly|actually|literally|seriously|truly|genuinely|kinda|sorta|basically|totally|fucking|"
    r"fuckin|fking|freaking|frankly|lowkey|legit|kind of|sort of|still|sometimes|often|even|sincerely|definitely|"
    r"probably|already|also|now|always|simply|lately|constantly|secretly|quietly|truthfully|tbh|ngl|idk|lol|so"
)
_FILLER_RUN = re.compile(
    rf"\b(?:i|im|ive|id|ill|i am|i have|i will|i would|i was|i do|i dont|i cant|yo)((?: (?:{_FILLERS_EN}))+)\b"
)
_FILLER_ES = re.compile(
    r"\b(?:de verdad|en serio|sinceramente|honestamente|realmente|literalmente|la neta|neta|la verdad|simplemente|"
    r"a veces|ultimamente|todavia) (?=(?:me|ya|no|quiero|voy|pienso|deseo|necesito|siento) )"
)


def _rewrite(norm: str, index: list[int], edits: list[tuple[int, int, str]]) -> tuple[str, list[int]]:
    """Apply non-overlapping ``(start, end, replacement)`` edits, keeping every character tied to the original."""
    if not edits:
        return norm, index
    out: list[str] = []
    idx: list[int] = []
    pos = 0
    for start, end, rep in sorted(edits):
        if start < pos:
            continue
        out.append(norm[pos:start])
        idx.extend(index[pos:start])
        out.append(rep)
        last = max(start, end - 1)
        idx.extend(index[min(start + k, last)] for k in range(len(rep)))
        pos = end
    out.append(norm[pos:])
    idx.extend(index[pos:])
    return "".join(out), idx


# "el tráfico de hoy me mató": written with its accent, "mató" is something that killed the person (an
# idiom), not "me mato" (I kill myself). Stripping accents would lose that, so it is read as "ha matado".
_MATO_PAST = re.compile(r"\bmat\u00f3\b", re.IGNORECASE)
# Laughing emoji read as "lol" (the idiom checks know "lol"; normalisation would otherwise drop them).
_LAUGH = re.compile("[\U0001F602\U0001F923\U0001F480\U0001F639\U0001F606\U0001F605\u2620]")
# The pill emoji read as the word ("💊💊💊 took em all"): normalisation would otherwise drop it.
_PILL_EMOJI = re.compile("\U0001F48A+")


def _insert_words(text: str, norm: str, index: list[int], pattern: re.Pattern[str], word: str) -> tuple[str, list[int]]:
    """Put ``word`` into the normalised text where ``pattern`` matched in the original."""
    found = [m.start() for m in pattern.finditer(text)]
    if not found:
        return norm, index
    at = sorted({bisect.bisect_left(index, i) for i in found})
    if at and at[-1] >= len(norm):
        norm, index = norm + " " + word, index + [index[-1] if index else 0] * (len(word) + 1)
        at = [k for k in at if k < len(norm) - len(word) - 1]
    return _rewrite(norm, index, [(k, k, f" {word} ") for k in at])


def _prepare(text: str) -> tuple[str, list[int]]:
    """The form the rules and the model read: normalised, misspellings corrected, fillers set aside."""
    norm, index = _normalise(text)
    norm, index = _insert_words(text, norm, index, _LAUGH, "lol")
    norm, index = _insert_words(text, norm, index, _PILL_EMOJI, "pills")
    if "\u00f3" in text or "\u00d3" in text:
        starts = {m.start() for m in _MATO_PAST.finditer(text)}
        if starts:
            pos = {i: k for k, i in enumerate(index)}
            norm, index = _rewrite(norm, index, [(pos[i], pos[i] + 4, "ha matado") for i in starts if i in pos])
    fixes = _typos.corrections([(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(norm)])
    norm, index = _rewrite(norm, index, fixes)
    drops = [(m.start(1), m.end(1), "") for m in _FILLER_RUN.finditer(norm)]
    drops += [(m.start(), m.end(), "") for m in _FILLER_ES.finditer(norm)]
    return _rewrite(norm, index, drops)


_IDIOMS = re.compile(rf"\b{_lex.alternation(_lex.words('idioms'))}\b")


def model_view(prepared: str) -> str:
    """What the statistical layer reads: the prepared text with everyday idioms as the word "idiom"."""
    return _IDIOMS.sub("idiom", prepared)


def prepare(text: str) -> str:
    """The prepared matching form of ``text`` (what the rules and the classifier read)."""
    return _prepare(text)[0]


@dataclass(slots=True)
class _Hit:
    rule: str
    start: int
    end: int
    rank: int  # see _rank()

    @property
    def length(self) -> int:
        return self.end - self.start


def _rank(rule: str) -> int:
    if rule.startswith("urgent."):
        return 3
    if rule in ("concern.mention", "concern.negated_mention"):
        return 1
    return 2


def _beaten(hits: list[_Hit], i: int, max_len: int) -> bool:
    """Whether an overlapping hit outranks ``hits[i]`` (``hits`` sorted by start, longest first).

    Only neighbours that can overlap are visited, so long texts with many hits stay linear-ish.
    """
    h = hits[i]
    j = i - 1
    while j >= 0 and hits[j].start > h.start - max_len:
        o = hits[j]
        if o.end > h.start and (o.rank > h.rank or (o.rank == h.rank and o.length >= h.length)):
            return True
        j -= 1
    j = i + 1
    while j < len(hits) and hits[j].start < h.end:
        o = hits[j]
        if o.rank > h.rank or (o.rank == h.rank and o.length > h.length):
            return True
        j += 1
    return False




# --------------------------------------------------------------------------------------------
# Composition: constructs read by co-occurrence, in any order (lexicon/cues.yaml)
# --------------------------------------------------------------------------------------------
#
# People do not tell an overdose in the order a pattern expects ("aspirin, the whole bottle, 10 min
# ago"), and a clinician reads a wish to die as urgent when a time, an opportunity, a means, a
# preparation, a recent act or a refusal to stay safe sits anywhere beside it. Two kinds of reading:
#
# - standalone, in the rules (any entry): a medicine, a large count and a verb of taking or a recent
#   time in one sentence (not as prescribed); being on a ledge, the tracks or the wrong side of a
#   railing; "I hurt myself" with a blade or wound care; envy of the dead;
# - escalation, after the model (only an entry already read as concern, and not only as a negation,
#   a long-ago attempt or someone else's story): any cue from ``cues.yaml`` raises it to urgent,
#   under the construct the cue belongs to.


# Speed: a vocabulary's pattern is a long alternation, slow to search at every position. Each one is
# registered with the words its matches must contain (every word of every entry, plural forms too), and
# is only searched when the entry holds one of them: a gate that can skip a search, never change one.
_TOKENS = re.compile(r"[a-z0-9]+")
_VOCAB_WORDS: dict[re.Pattern[str], frozenset[str]] = {}


def _words_of(entries: Iterable[str]) -> frozenset[str]:
    """The last word of each entry, and its plurals: every match of the entry holds one of them."""
    words = {_TOKENS.findall(e)[-1] for e in entries if _TOKENS.findall(e)}
    return frozenset(words | {w + "s" for w in words} | {w + "es" for w in words})


def _cue(group: str) -> re.Pattern[str]:
    entries = _lex.words("cues", group)
    pattern = re.compile(rf"\b{_lex.alternation(entries)}\b")
    _VOCAB_WORDS[pattern] = _words_of(entries)
    return pattern


def _may_match(pattern: re.Pattern[str], words: frozenset[str]) -> bool:
    """False only when ``pattern`` cannot match a text whose tokens are ``words``."""
    needed = _VOCAB_WORDS.get(pattern)
    return needed is None or not needed.isdisjoint(words)


# A count an overdose is told with, in either language: ten or more (not a dose, a time or a rating),
# a whole supply, "the rest of", "20 something", "like 30".
_COUNT = (
    r"(?:(?<!at )(?<!\d )(?<!a las )(?<!a la )(?<!por )(?<!de )(?<!of )[1-9]\d{1,2}(?! ?(?:mg|ml|mcg|milligrams?|units|iu|miligramos|"
    r"unidades|gotas|am|pm|h|hrs?|hours?|horas?|mins?|minutes?|minutos?|o clock|de la|years?|anos|dias|days|kg|lbs?|"
    r"km|miles|percent|por ciento|\d)\b)|\d+ something|(?:like|about|around|maybe|over|almost|nearly|at least|"
    r"como|unas|unos|mas de|casi|al menos) (?:[1-9]\d+|ten|twenty|thirty|diez|veinte|treinta|quince)|"
    r"ten|twelve|fifteen|twenty|thirty|forty|fifty|sixty|a hundred|hundred|a dozen|dozens|two dozen|"
    r"too many|way too many|so many|a handful|handfuls|a fistful|all of them|all (?:of )?(?:my|the|his|her|those)|"
    r"every last|every single|the rest of|(?:the|my|a|his|her) (?:whole|entire|full) (?:month|week|bottle|box|pack|"
    r"packet|prescription|supply|strip|jar|blister|sleeve)|a (?:whole |full )?(?:bottle|box|pack|packet|strip|sleeve|"
    r"jar|tub|blister) of|half (?:a|the) (?:bottle|box|pack|packet)|(?:weeks?|months?) (?:worth|supply)|double|triple|"
    r"diez|doce|quince|veinte|treinta|cuarenta|cincuenta|cien|un punado|un monton|demasiadas|demasiados|muchas|"
    r"todas (?:las|mis)|todos (?:los|mis)|todo el (?:frasco|bote|blister|paquete)|toda la (?:caja|tira|receta)|"
    r"media caja|media tira|medio frasco|medio bote|el frasco|la caja|el bote|el blister|un chingo|una bola|"
    r"un frasco|una caja|un bote|(?:two|three|four|a few|several|dos|tres|cuatro|varios|varias|[2-9]) "
    r"(?:whole |full |entire |enteros |enteras |completos |completas )?"
    r"(?:blister packs?|blisters?|bottles|boxes|packs|packets|strips|sleeves|sheets|cards|cajas|frascos|tiras|botes|"
    r"cajitas|laminas|planchas)|"
    r"everything i (?:have|had|got)|todo lo que (?:tengo|tenia|habia)|(?:them|em) all|all of (?:them|em)|lost count|"
    r"perdi la cuenta|todas juntas|todos juntos|(?:de )?todo el mes|de toda la semana|el frasco entero|la caja entera|"
    r"tod[oa]s? (?:el|la|los|las|mis|mi) \w+ del mes|every (?:pill|tablet|capsule|one) (?:in|from|of|i)|"
    r"(?:taking|took|swallowing|swallowed|popping|tomando|tomandome|tome|trague|tragando) (?:\w+ ){0,3}(?:one by one|"
    r"one after another|una por una|uno por uno|una tras otra)|"
    r"(?:las|los) (?:tome|trague|bebi|meti) (?:todas|todos))"
)
_TAKE_ANY = (
    r"(?:took|taken|take|taking|swallowed|swallowing|downed|popped|had|ate|eaten|necked|chugged|washed|knocked|"
    r"gulped|started|takin|drank|drinking|tome|tomado|tomando|tomandome|trague|tragado|zampe|zampado|clave|clavado|meti|metido|baje|bajado|bebi|empine|"
    r"empastille|chingue|mande|acabe|termine)"
)
_RECENT = _cue("recent_act")
_GENERIC_MEDS = frozenset(_lex.words("medications", "generic")) | frozenset(
    w + "s" for w in _lex.words("medications", "generic")
)
_AT_WORK = (
    r"\b(?:nurse|nursing|pharmacist|pharmacy tech|pharmacy life|pharmacy shift|behind the counter|my shift|end of (?:the |my )?shift|inventory|enfermer[oa]|"
    r"farmaceutic[oa]|del turno|mi turno|inventario|controlad[oa]s|the ward|la farmacia|en el trabajo|"
    r"pill organi[sz]er|pill box|pillbox|pastillero|for the week|de la semana|weekly|take ?back|drop ?off box|"
    r"disposal|dispose|disposed|desechar|desechen|deseche|punto sigre)\b"
)
_AT_WORK_RE = re.compile(_AT_WORK)
_ROUTINE = re.compile(
    _AT_WORK + r"|"
    r"\b(?:like|as) (?:the doctor|prescribed|usual|normal|always|directed|instructed|i should|im supposed to|"
    r"i was told|i am supposed to)|as prescribed|como (?:siempre|debo|debia|me toca|corresponde)|"
    r"for (?:my |a |the )?(?:headache|migraine|back|period|cramps|tooth|toothache|cold|flu|fever|knee|pain|allergies)|"
    r"every (?:day|morning|night|evening)|pill (?:organi[sz]er|box)|pastillero|para (?:el|la) (?:dolor|cabeza|"
    r"regla|fiebre|gripe|muela)|como (?:me )?(?:dijo|receto|indico) (?:el|la) (?:medic[oa]|doctor[a]?)|"
    r"(?:weeks?|weeks?) (?:now|already)|for (?:two|three|four|\d+) weeks|cada (?:dia|manana|noche)|"
    r"(?:llevo|lleva) \w+ (?:semanas|meses)|(?:semanas|meses) con (?:la|el)\b"
)
_QTY_ANY = re.compile(rf"\b{_COUNT}\b")
# "every pill in the weekly organizer, all at once": a routine word does not excuse a whole supply at once.
_AT_ONCE = re.compile(
    r"\b(?:all at once|at once|at the same time|all together|on purpose|de una vez|de un jalon|de golpe|a la vez|"
    r"todas juntas|todos juntos|a proposito|adrede)\b"
)
_MED_ANY = re.compile(rf"\b(?:{_MED_WORD}|{_ES_PILLS}|{_PILLS})(?:e?s)?\b")
_VOCAB_WORDS[_MED_ANY] = _words_of([*_lex.words("medications"), *_TOKENS.findall(_ES_PILLS + " " + _PILLS)])
_TAKE_RE = re.compile(rf"\b{_TAKE_ANY}\b")
_ALCOHOL = re.compile(
    rf"\b(?:{_lex.alternation(_lex.words('medications', 'alcohol'))}|drinks|drinking|birra|birras|chela|chelas|"
    r"guaro|trago|tragos|copas|pisco)\b"
)
_SOME = re.compile(r"\b(?:[2-9]|[1-9]\d+|two|three|four|five|six|seven|eight|nine|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)\b")

_DANGER_HEIGHT = (
    r"(?:roof|rooftop|building|bridge|overpass|flyover|cliff|balcony|terrace|parking garage|car park|garage|tower|"
    r"platform|dam|viaduct|azotea|techo|tejado|puente|edificio|balcon|terraza|acantilado|barranco|torre|presa|"
    r"viaducto|mirador|paso elevado|estacionamiento)"
)
_AT_HEIGHT = re.compile(
    r"\b(?:(?:im|i am|standing|stood|sitting|sat|been|currently|still|am|lying|laying)(?: \w+){0,3} "
    r"(?:on|at|in|between|onto) (?:the |a |this |that )?(?:(?:train |railway |rail |subway |metro )?tracks|"
    r"ledge|window ledge|wrong side|other side)|on the (?:ledge|edge) of (?:the |a |my |this )?(?:\w+ )?"
    rf"{_DANGER_HEIGHT}|(?:on|at) the edge of (?:the |a |my |this )?{_DANGER_HEIGHT}|"
    r"(?:other|wrong|outside) side of (?:the |a )?(?:railing|barrier|fence|parapet|rail|guardrail)|"
    r"(?:del|al) otro lado de (?:la |el )?(?:baranda|barandal|barandilla|reja|valla|barrera|muro)|"
    r"(?:sentad[oa]|parad[oa]|estoy|ando|parado|acostad[oa])(?: \w+){0,3} (?:en|sobre|entre) (?:el |la |las |los )?"
    rf"(?:vias|rieles|cornisa|borde (?:de|del) (?:la |el |un |una )?(?:\w+ )?{_DANGER_HEIGHT})|"
    r"piernas (?:pa|para|hacia) (?:fuera|afuera|el vacio|abajo)|"
    rf"(?:at|on) the top (?:floor |level )?of (?:the |a )?(?:\w+ ){{0,2}}{_DANGER_HEIGHT}[^.!?]{{0,60}}"
    r"(?:looking down|leaning over|leaning on|mirando (?:hacia )?abajo)|"
    rf"(?:en|arriba de) (?:la |el )?(?:parte de arriba|ultimo piso|punta) (?:de|del) (?:la |el )?(?:\w+ ){{0,2}}"
    rf"{_DANGER_HEIGHT}[^.!?]{{0,60}}(?:mirando (?:hacia |pa |para )?abajo|asomad[oa]))\b"
)
_PRESENT = re.compile(
    r"\b(?:rn|right now|texting|typing|writing this|as i write|cars|traffic|the train|trains|comes through|"
    r"looking down|the drop|climb (?:back )?down|ahora mismo|ahorita|ahora|escribiendo esto|mirando (?:hacia )?abajo|"
    r"pasa el tren|los carros|los coches|el vacio|no pienso bajar|no voy a bajar|not coming down|not climbing down|"
    r"not getting down)\b"
)
_HEIGHT_WORD = re.compile(rf"\b(?:{_HEIGHT_EN}|{_HEIGHT_ES}|tracks|train tracks|railway|vias|vias del tren)\b")
_HURT_SELF = re.compile(
    r"\b(?:i|ive|i have|i just|just|yo)(?: \w+){0,2} (?:hurt|harmed|cut|burned|burnt|sliced|scratched|carved|"
    r"punched|bashed|bit) (?:my ?self|into my)\b(?! (?:off|some slack|a slice|a piece|short|out of|loose|free))|"
    r"\bi (?:keep|kept|cant stop|couldnt stop) cutting\b|\bsigo cortandome\b|"
    r"\b(?:i|ive|i have|i just|just|yo)(?: \w+){0,2} (?:hurt|harmed|cut|burned|burnt|sliced|scratched|carved|"
    r"punched|bashed|bit) (?:my ?self|into my)\b(?! (?:off|some slack|a slice|a piece|short|out of|loose|free))|"
    r"\bme (?:he )?(?:corte|cortado|raje|rajado|queme|quemado|lastime|lastimado|rasgue|rasguñe|rasgune|arane|"
    r"hice cortes|hice dano|apague (?:un |el |mi )?(?:cigarro|cigarrillo|pucho|cigarrito))\b|"
    r"\bme di (?:de )?(?:cabezazos|golpes|punetazos|topes)|\b(?:i )?(?:banged|bashed|hit|slammed) my head (?:against|on|into)"
)
_HARM_DETAIL = re.compile(
    r"\b(?:razor|razors|blade|blades|knife|lighter|cigarette|scissors|glass|compass|sharpener|box cutter|"
    r"stitches|bandage|bandages|gauze|bleeding|bled|blood|long sleeves|deep|deeper|wrist|wrists|arm|arms|"
    r"thigh|thighs|leg|legs|stomach|skin|forearm|cuchilla|navaja|gillette|sacapuntas|cuter|cutter|cigarro|"
    r"cigarrillo|encendedor|vidrio|tijeras|gasas|gasa|puntos|sangre|sangrando|venda|vendas|manga larga|mangas largas|"
    r"brazo|brazos|muneca|munecas|muslo|muslos|pierna|piernas|piel|panza|abdomen|antebrazo|profundo|hondo|vomit\w*|"
    r"throwing up|concussion|passed out|blacked out|vomitar|vomitando|vomite|estrellitas|me desmaye|pared|wall)\b"
)
# Where the person's body part is the object of an ordinary cut ("me corté el pelo") the idiom list and
# the accident filter already decide; this only reads the acts with a detail of harm.
_ENVY_DEAD = _cue("envy_dead")
_PREPARATION = _cue("preparation")
# At a place people jump from, now: "standing on the overpass rn", "en el puente ahorita".
_AT_DANGER_NOW = re.compile(
    r"\b(?:im|i am|standing|stood|sitting|sat|been|currently|still|waiting|estoy|ando|sentad[oa]|parad[oa]|aqui)"
    r"(?: \w+){0,3} (?:on|at|onto|in|en|sobre|arriba de) (?:the |a |this |that |top of the |el |la |este |esta )?"
    r"(?:overpass|flyover|bridge|roof|rooftop|cliff|ledge|tracks|train tracks|railway|top floor|parking garage|"
    r"puente|paso elevado|azotea|techo|tejado|cornisa|acantilado|vias|barranco|ultimo piso)\b"
)
# Into the water, and someone pulled them out; about to, and someone came: an interrupted attempt.
_INTERRUPTED_ES = re.compile(
    r"\b(?:me (?:tire|aviente|eche|lance|bote|arroje)|me iba a (?:tirar|aventar|echar|lanzar|botar|arrojar|tomar|"
    r"colgar|cortar|matar)|iba a (?:tirarme|aventarme|echarme|lanzarme|botarme|arrojarme|tomarme|colgarme|cortarme|"
    r"matarme)|estaba por (?:tirarme|aventarme|lanzarme|tomarme|colgarme|matarme))\b[^.!?]{0,60}(?:\b(?:pero|y) |[.] ?)"
    r"(?:\w+ ){0,4}(?:me (?:saco|sacaron|jalo|jalaron|agarro|agarraron|detuvo|detuvieron|paro|pararon|rescato|"
    r"rescataron|salvo|salvaron|bajo|bajaron|encontro|encontraron|vio|vieron)|llego|llegaron|entro|entraron)\b"
)
_INTERRUPTED_EN = re.compile(
    r"\b(?:i was (?:going|about|gonna|ready) to|i almost|i nearly|i tried to)(?: \w+){1,6}\b[^.!?]{0,30}"
    r"(?:\b(?:but|then|and) |[.] ?)(?:\w+ ){0,3}(?:pulled me|stopped me|found me|grabbed me|talked me|walked in|came home|"
    r"came in|got home|called)\b"
)

# Household poison drunk or swallowed by the person: "i drank the bleach under the sink", "me tomé un vaso
# de cloro". Not a count: any amount is an emergency. Accidents and other people are read as elsewhere.
_POISON = _lex.alternation(_lex.words("medications", "other"))
_G_POISON = re.compile(rf"\b{_POISON}\b")
_DRANK_POISON = re.compile(
    r"\b(?:(?:i|yo|ive|i have)(?: \w+){0,2} (?:drank|drunk|drink|swallowed|took|ate|downed|chugged|gulped|had)|"
    r"(?:me )?(?:tome|bebi|trague|empine|meti)|me he (?:tomado|bebido|tragado)|(?:he|ya) (?:tomado|bebido|tragado))"
    rf"(?: \w+){{0,4}} {_POISON}\b"
)
# Who will find the body: "so she won't be the one to find me", "que no sea ella quien me encuentre".
_FOUND_BY = re.compile(
    r"\b(?:(?:be|is|being) the (?:one|first one|person) (?:to|who|that) finds? me|find(?:s|ing)? my body|"
    r"(?:sea|sean) (?:\w+ ){0,3}(?:quien|quienes|el que|la que|los que) me (?:encuentre|encuentren|halle)|"
    r"encuentren? mi cuerpo)\b"
)
_G_FOUND_BY = re.compile(r"\b(?:find|finds|finding|encuentre|encuentren|halle)\b")
# A method tried on oneself just now: "I sorta kinda tried to choke myself with a belt earlier".
_TRIED_NOW = re.compile(
    r"\b(?:i|yo)(?: \w+){0,2} (?:tried|try|attempted) to (?:choke|strangle|suffocate|smother|hang|drown|poison|"
    r"kill|overdose|od|asphyxiate|gas|electrocute|cut|slit|stab|shoot)(?: \w+){0,2} (?:my ?self|my wrists?|my throat)|"
    r"\bintente (?:ahorcarme|ahogarme|asfixiarme|colgarme|matarme|envenenarme|cortarme|estrangularme|tirarme|aventarme)"
)
_JUST_NOW = re.compile(
    r"\b(?:earlier|today|tonight|last night|this morning|this afternoon|this evening|an hour ago|just now|"
    r"a few minutes ago|minutes ago|hours ago|it didnt work|didnt work|hoy|anoche|hace rato|hace un rato|"
    r"esta manana|esta tarde|esta noche|hace una hora|no funciono|no sirvio)\b"
)
_G_TRIED = re.compile(r"\b(?:tried|try|attempted|intente)\b")
# Passive wishes in forms the patterns do not hold: a "killing me" that the person wishes were true,
# "if I died in my sleep tonight, good", and an inner voice telling them to kill themselves.
_WISH_FORMS = re.compile(
    r"\b(?:killing me\b[^.!?]{0,40}\bwish (?:it|they|she|he) (?:would|did|could)|"
    r"me esta matando\b[^.!?]{0,40}\bojala (?:lo hiciera|fuera (?:cierto|verdad)|me matara)|"
    r"si me muero(?: \w+){0,3}(?: hoy| manana| esta noche)?,?(?: \w+,?){0,3} (?:(?:la verdad|pues|sinceramente|"
    r"honestamente|creo que) )?(?:que bueno|mejor|ojala|bien|no pasa nada|no me importa|me da igual|seria un alivio|"
    r"que alivio|seria un descanso|descansaria|por fin descanso)|"
    r"if i (?:died|die|dont wake up|didnt wake up)(?: \w+){0,4},? (?:(?:honestly|tbh|then) )?(?:good|fine|great|"
    r"(?:(?:that|it) (?:would|d|wouldnt)|thatd|itd|thatll|itll)(?: \w+)? (?:be )?(?:fine|ok|okay|good|nice|a relief|bad|so bad|the worst))|"
    r"(?:mi cabeza|una voz|las voces|la voz|my (?:head|brain|mind)|a voice|the voices?)(?: \w+){0,2} "
    r"(?:me dice|me dicen|me repite|tells? me|told me|says|keeps? (?:telling me|saying))(?: \w+){0,2}\W+"
    r"(?:matate|muerete|que me mate|que me muera|to kill myself|kill yourself|to die|go die))\b"
)
# A promise of safety asked for and refused: urgent on its own ("she asked me to promise I'd stay safe and I
# said no"), as a crisis worker reads it; with a thought of death the escalation already says so.
_REFUSED_PROMISE = re.compile(
    r"\b(?:promise|promised|swear|prometer|prometa|prometas|prometiera|prometo|prometi|prometerle|jurar|jurarle)\b"
    r"[^.!?]{0,60}\b(?:safe|stay alive|(?:not|wouldnt|wont|never) (?:\w+ )?(?:hurt|harm|kill) myself|not (?:to )?do anything|"
    r"call (?:her|him|you|them|someone|988) (?:before|first)|a salvo|segura|seguro|no hacerme (?:dano|nada)|"
    r"no hacer nada|llamar(?:le|la|lo)? antes|no lastimarme|cuidarme)\b[^.!?]{0,60}\b(?:i said no|said no|i couldnt|"
    r"couldnt|i cant|cant|i wont|wouldnt|refused|dije que no|le dije que no|no pude|no puedo|no quise|me negue)\b"
)
_G_PROMISE = re.compile(r"\b(?:promise|promised|swear|prometer|prometa|prometas|prometiera|prometo|prometi|"
                        r"prometerle|jurar|jurarle)\b")
# Looking up a method: "I googled how long it takes to bleed out", "busqué cuántas pastillas".
_RESEARCH = re.compile(
    r"\b(?:googled|googling|searched|searching|looked up|looking up|researched|researching|read up on|busque|buscando|"
    r"investigue|investigando|googlee|googleando)\b[^.!?]{0,50}\b(?:bleed out|bleeding out|to die(?! for)|lethal|fatal|"
    r"painless way|painless ways|ways to die|how to die|how many (?:\w+ )?(?:pills|tablets)|how high|how far down|"
    r"dosis letal|desangrarse|desangrarme|morir sin dolor|formas de morir|como morir|cuantas (?:\w+ )?pastillas|"
    r"que tan alto)\b"
)
_G_RESEARCH = re.compile(r"\b(?:googled|googling|searched|searching|looked|looking|researched|researching|read|busque|"
                         r"buscando|investigue|investigando|googlee|googleando)\b")
# Round 10's misses, as general readings (fourth pass).
# An attempt told by its failure: "Tonight I tried. The knot didn't hold", "ripped the bag off at the last
# second", "I attempted earlier today", a ligature still tied to a rod, a bag over the head.
_ATTEMPT_TOLD = re.compile(
    r"\b(?:(?:put|pulled|had|tied|taped) (?:a |the )?(?:plastic )?bag (?:over|around) my (?:head|face)|"
    r"(?:the |a |my )?(?:knot|rope|cord|belt|noose|scarf|cable|sheet)s? (?:didnt|did not|wouldnt|would not) hold|"
    r"(?:the |a |my )?(?:rope|cord|belt|noose|scarf|cable|sheet|ligature) (?:is |was )?(?:still )?(?:tied|hanging) "
    r"(?:to|from|on) (?:the |my )?(?:closet|rod|beam|door|ceiling|fan|rail|railing|pipe|hook|banister|bunk|shower)|"
    r"i (?:\w+ ){0,2}attempted(?: (?:it|suicide|again))?(?= *(?:[.!?,;]|$| (?:earlier|today|tonight|last night|"
    r"this morning|again|yesterday))))|"
    r"(?:la |una |mi )?(?:bolsa) (?:en|sobre) (?:la|mi) cabeza|(?:la |el )?(?:soga|cuerda|cinturon|nudo) no (?:aguanto|"
    r"resistio|sirvio)|(?:la |el )?(?:soga|cuerda|cinturon) (?:sigue |todavia |aun )?(?:amarrad[oa]|atad[oa]|colgad[oa]) "
    r"(?:a|de|en) (?:la |el )?(?:viga|puerta|barra|closet|ropero|techo|ventilador|regadera|tubo)\b"
)
# "Tonight I tried." with a means named nearby.
_TRIED_BARE = re.compile(
    r"\b(?:tonight|today|earlier|last night|this morning|hoy|anoche|esta noche|hace rato) (?:i|yo) (?:tried|lo intente|"
    r"intente)(?= *[.!?,;]| *$)|\bi tried (?:tonight|today|earlier|last night|this morning)(?= *[.!?,;]| *$)"
)
_MEANS_WORD = re.compile(
    r"\b(?:knot|rope|cord|belt|noose|scarf|bag|pills|blade|razor|gun|bridge|ledge|soga|cuerda|cinturon|nudo|"
    r"pastillas|navaja|pistola|puente|bolsa)\b"
)
# A leg over the rail, high up; "to whoever finds my phone"; a note that is the last one.
_OVER_RAIL = re.compile(
    r"\b(?:(?:one |a |my |both )?(?:leg|legs|foot|feet) over (?:the )?(?:rail|railing|edge|ledge|barrier|side|parapet)|"
    r"(?:una |la |las )?(?:pierna|piernas|pie|pies) (?:por )?(?:encima|fuera|afuera) (?:del|de la) (?:barandal|baranda|"
    r"barandilla|cornisa|borde))\b"
)
_LAST_NOTE = re.compile(
    r"\b(?:to (?:whoever|whomever|the person who|anyone who) finds? (?:this|my|me)|last (?:note|entry|post|message) "
    r"(?:in|on|of) (?:this|my) (?:diary|journal|app|phone)|(?:a|para) quien (?:encuentre|lea) (?:esto|mi|este)|"
    r"ultim[ao] (?:nota|entrada|mensaje) (?:en|de) (?:este|mi) (?:diario|app|telefono|celular))\b"
)
# First person, present tense, as a decision: "tengo pensado morirme", "este finde me suicido", "want to comitt
# suicide" (misspelt).
_INTENT_ES = re.compile(
    r"\b(?:tengo pensado|tengo planeado|ya decidi|me decidi|decidi) (?:\w+ )?(?:morirme|matarme|suicidarme|quitarme la "
    r"vida|acabar con (?:todo|mi vida))\b"
)
_SELF_PRESENT_ES = re.compile(
    r"\b(?:me suicido|me mato)\b(?! (?:de|trabajando|estudiando|corriendo|a|por|(?:el|la|los|las|ese|esa) (?:final|"
    r"capitulo|serie|peli|pelicula|cancion|chiste|meme|video|libro|partido)))"
)
_COMMIT = re.compile(r"\b(?:want|wanna|going|gonna|plan|planning|thinking about|think about|thought about|might) (?:to )?"
                     r"co?m+i+t+(?:ed|ing)? (?:suicide|suicde|suicid)\b")
# The ideation is back: "asked if the ideation had returned. I said no. It has."
_IDEATION_BACK = re.compile(
    r"\b(?:the |my |suicidal )?ideation (?:is |has |had |was )?(?:back|returned|come back|came back|coming back|"
    r"creeping back|returning)\b"
)
_G_ROUND10 = re.compile(
    r"\b(?:bag|bolsa|hold|tied|hanging|amarrad[oa]|atad[oa]|colgad[oa]|aguanto|resistio|sirvio|attempted|tried|"
    r"intente|over|encima|fuera|afuera|finds|encuentre|lea|last|ultima|ultimo|pensado|planeado|decidi|suicido|mato|"
    r"ideation|suicide|suicde|suicid)\b"
)
_G_WISH = re.compile(r"\b(?:wish|ojala|si me muero|if i|cabeza|voz|voces|head|brain|mind|voice|voices)\b")

_TIMING = _cue("timing")
_ESCALATORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("urgent.recent_attempt", _RECENT),
    ("urgent.preparation", _cue("preparation")),
    ("urgent.plan_method", _cue("means")),
    ("urgent.intent", _TIMING),
    ("urgent.intent", _cue("opportunity")),
    ("urgent.intent", _cue("no_return")),
)
_PROMISE = _cue("promise")
_REFUSE_HELP = _cue("refuse_help")
_CANNOT = _cue("cannot")
_SENTENCES = re.compile(r"[^.!?\n]+")


# Cheap whole-entry gates: a sentence-level reading is only tried when its key words are in the entry.
_G_HEIGHT = re.compile(
    r"\b(?:ledge|edge|tracks|vias|rieles|railing|barrier|fence|parapet|rail|guardrail|baranda|barandal|barandilla|"
    r"reja|valla|barrera|muro|borde|cornisa|piernas|top|arriba|ultimo piso|parte de arriba|punta)\b"
)
_G_HURT = re.compile(
    r"\b(?:hurt|harmed|cut|burned|burnt|sliced|scratched|carved|punched|bashed|bit|banged|hit|slammed|di|corte|cortado|raje|rajado|queme|"
    r"quemado|lastime|lastimado|rasgue|rasguñe|rasgune|arane|hice|apague|cutting|cortandome)\b"
)
_G_INTERRUPTED = re.compile(
    r"\b(?:me iba a|iba a|estaba por|me (?:tire|aviente|eche|lance|bote|arroje)|i was (?:going|about|gonna|ready) to|"
    r"i almost|i nearly|i tried to)\b"
)
_G_ENVY = re.compile(r"\b(?:envidia|jealous|envy|lucky|suerte)\b")


# Standalone readings of the third and fourth passes: (gate over the whole entry, pattern, rule). Each is
# read unless negated (except "won't be the one to find me", where the negation is the meaning), long ago
# or an accident.
# Sixth pass (read on held-out round 13): an engine run in a closed garage, walking into water, the hidden
# pills' day named, a voice telling the person to die, wanting to finish with everything.
_G_PASS6 = re.compile(
    r"\b(?:garage|garaje|sea|ocean|lake|river|water|waves|mar|rio|lago|agua|hiding|saving|stashed|hid|junte|guarde|"
    r"escondi|juntado|guardado|guardadas|dice|dicen|repite|grita|telling|tells|told|terminar|acabar)\b"
)
_CO_GARAGE = re.compile(
    r"\b(?:started|ran|running|left|turned on|sat in|sitting in)(?: \w+){0,2} (?:car|engine)(?: running)?(?: \w+){0,3} "
    r"(?:closed|shut|locked) garage|(?:prendi|encendi|arranque|deje prendido|deje encendido)(?: \w+){0,2} "
    r"(?:carro|coche|auto|motor)(?: \w+){0,4} garaje (?:cerrado|con la puerta cerrada)\b"
)
_INTO_WATER = re.compile(
    r"\b(?:walked|went|waded|swam|walking|wading) (?:out )?into the (?:sea|ocean|lake|river|water|waves)[^.!?]{0,60}"
    r"(?:fully dressed|clothes on|in my clothes|meaning to|not to come|no intention|to not come)|"
    r"me (?:meti|adentre|fui|metia) (?:al|en el|hacia el|dentro del) (?:mar|rio|lago|agua)[^.!?]{0,60}(?:vestid[oa]|"
    r"con (?:toda )?la ropa|sin intencion|para no (?:volver|salir|regresar))"
)
_HIDDEN_PILLS = re.compile(
    r"\b(?:im|i am|ill|i will|gonna|going to)(?: \w+){0,2} (?:take|taking|swallow|swallowing) (?:all )?(?:the|my) "
    r"(?:pills|meds|tablets)(?: \w+){0,2} (?:ive|i have|i) (?:been )?(?:hiding|saving|keeping|stockpiling|collecting|"
    r"hoarding|saved|hid|stashed)|me (?:tomo|voy a tomar) (?:todo|todas|todos)(?: \w+){0,2} (?:lo que|las que|los que) "
    r"(?:junte|guarde|he juntado|he guardado|tengo guardad\w+|escondi)\b"
)
_VOICE_KILL = re.compile(
    r"\b(?:(?:la|mi) cabeza|(?:una|la|esa) voz|(?:las|unas|esas) voces|mi mente|algo) (?:me )?(?:dice|dicen|repite|"
    r"repiten|grita|gritan) (?:que|q) me (?:mate|muera|tire|corte|suicide)(?! (?:trabajando|estudiando|de))|(?:voice|voices|my head|"
    r"my brain) (?:keeps? |keep )?(?:telling|tells|told) me to (?:kill myself|die|jump|end it)\b"
)
_END_ALL = re.compile(r"\b(?:ganas de|quiero|quisiera) (?:terminar|acabar) con todo(?= *(?:[.!?,;]|$| pero| y| ya))")
_STANDALONE: tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...] = (
    (_G_PASS6, _CO_GARAGE, "urgent.recent_attempt"),
    (_G_PASS6, _INTO_WATER, "urgent.recent_attempt"),
    (_G_PASS6, _HIDDEN_PILLS, "urgent.plan_method"),
    (_G_PASS6, _VOICE_KILL, "concern.thoughts_of_death"),
    (_G_PASS6, _END_ALL, "concern.thoughts_of_death"),
    (_G_POISON, _DRANK_POISON, "urgent.recent_attempt"),
    (_G_FOUND_BY, _FOUND_BY, "urgent.preparation"),
    (_G_WISH, _WISH_FORMS, "concern.wish_dead"),
    (_G_PROMISE, _REFUSED_PROMISE, "urgent.intent"),
    (_G_RESEARCH, _RESEARCH, "urgent.plan_method"),
    (_G_ROUND10, _ATTEMPT_TOLD, "urgent.recent_attempt"),
    (_G_ROUND10, _OVER_RAIL, "urgent.plan_method"),
    (_G_ROUND10, _LAST_NOTE, "urgent.goodbye"),
    (_G_ROUND10, _INTENT_ES, "urgent.intent"),
    (_G_ROUND10, _SELF_PRESENT_ES, "concern.thoughts_of_death"),
    (_G_ROUND10, _COMMIT, "concern.thoughts_of_death"),
    (_G_ROUND10, _IDEATION_BACK, "concern.thoughts_of_death"),
)


def _compose(norm: str) -> list[_Hit]:
    """Standalone constructs read by co-occurrence within one sentence (see the section's comment)."""
    hits: list[_Hit] = []
    words = frozenset(_TOKENS.findall(norm))
    meds = _may_match(_MED_ANY, words) and _MED_ANY.search(norm) is not None
    height = _G_HEIGHT.search(norm) is not None
    present = _PRESENT.search(norm) is not None
    hurt_words = _G_HURT.search(norm) is not None
    interrupted = _G_INTERRUPTED.search(norm) is not None
    envy_words = _G_ENVY.search(norm) is not None and _may_match(_ENVY_DEAD, words)
    opened: dict[re.Pattern[str], bool] = {}
    for gate, pattern, name in _STANDALONE:
        if gate not in opened:
            opened[gate] = gate.search(norm) is not None
        if opened[gate]:
            for m in pattern.finditer(norm):
                s, e = _sentence(norm, m.start(), m.end())
                negated = pattern is not _FOUND_BY and _negated(norm, m.start())  # "won't be the one to find me"
                if not negated and not _historical(norm, s, e) and not _accidental(norm, s, e):
                    hits.append(_Hit(name, m.start(), m.end(), _rank(name)))
    if opened[_G_ROUND10] and _MEANS_WORD.search(norm):
        for m in _TRIED_BARE.finditer(norm):
            hits.append(_Hit("urgent.recent_attempt", m.start(), m.end(), 3))
    if _G_TRIED.search(norm):
        for m in _TRIED_NOW.finditer(norm):
            s, e = _sentence(norm, m.start(), m.end())
            if _JUST_NOW.search(norm, s, min(len(norm), e + 80)) and not _historical(norm, s, e):
                hits.append(_Hit("urgent.recent_attempt", m.start(), m.end(), 3))
    if not (meds or height or present or hurt_words or interrupted or envy_words):
        sentences: list[re.Match[str]] = []
    else:
        sentences = list(_SENTENCES.finditer(norm))
    for m in sentences:
        s, e = m.start(), m.end()
        sent = m.group()
        med = _MED_ANY.search(sent) if meds else None
        if med:
            counted = _QTY_ANY.search(sent) or (
                # several medicines, or a medicine on top of drink, with counts: "8 trazodone and 6 ativan"
                _SOME.search(sent)
                and (_ALCOHOL.search(sent) or len({x.group() for x in _MED_ANY.finditer(sent)} - _GENERIC_MEDS) >= 2)
            )
            if counted and (_TAKE_RE.search(sent) or _RECENT.search(sent) or _ALCOHOL.search(sent)):
                routine = _ROUTINE.search(sent) is not None and _AT_ONCE.search(sent) is None
                if not routine and not _negated(norm, s + med.start()) and not _historical(norm, s, e):
                    hits.append(_Hit("urgent.recent_attempt", s, e, 3))
        if height:
            h = _AT_HEIGHT.search(sent)
            if h and not _negated(norm, s + h.start()):
                hits.append(_Hit("urgent.plan_method", s + h.start(), s + h.end(), 3))
        if hurt_words:
            hurt = _HURT_SELF.search(sent)
            if hurt and not _accidental(norm, s, e) and not _negated(norm, s + hurt.start()):
                if _HARM_DETAIL.search(sent):
                    name = "concern.past_attempt" if _historical(norm, s, e) else "urgent.self_harm_recent"
                    hits.append(_Hit(name, s + hurt.start(), s + hurt.end(), _rank(name)))
        if present:
            at = _AT_DANGER_NOW.search(sent)
            if at and _PRESENT.search(sent) and not _negated(norm, s + at.start()):
                hits.append(_Hit("urgent.plan_method", s + at.start(), s + at.end(), 3))
        if interrupted:
            for pattern in (_INTERRUPTED_ES, _INTERRUPTED_EN):
                # the one who came may be in the next sentence: read on a little past this one
                i = pattern.search(norm, s, min(len(norm), e + 100))
                if i and i.start() < e and not _historical(norm, s, e) and _ideation_words(sent, i.group()):
                    hits.append(_Hit("urgent.recent_attempt", i.start(), min(i.end(), e), 3))
        if envy_words:
            envy = _ENVY_DEAD.search(sent)
            if envy:
                hits.append(_Hit("concern.wish_dead", s + envy.start(), s + envy.end(), _rank("concern.wish_dead")))
    # Two different preparatory acts in one entry ("deleted all my socials", "scheduled an email").
    if not _may_match(_PREPARATION, words):
        return hits
    if _TRIP.search(norm):
        return hits  # "paid everyone what I owed before going on holiday"
    preps = [m for m in _PREPARATION.finditer(norm) if not _negated(norm, m.start())]
    if len({m.group() for m in preps}) >= 2:
        hits.extend(_Hit("urgent.preparation", m.start(), m.end(), 3) for m in preps)
    return hits


_SELF_DANGER = re.compile(
    r"\b(?:tirar|aventar|echar|lanzar|botar|arrojar|tomar|colgar|cortar|matar|tire|aviente|eche|lance|bote|arroje|"
    r"mar|jump|jumping|overdose|hang|cut|"
    r"kill|swallow|take them|end it|do it|piso|puente|azotea|rio|vias|pastillas|bridge|roof|pills|rope|tracks|"
    r"edge|ledge)\w*"
)


def _ideation_words(sent: str, matched: str) -> bool:
    """An interrupted act names a means or an act of harm (not "I was going to call but he came home")."""
    return _SELF_DANGER.search(matched) is not None


def _escalation(
    norm: str, spans: list[tuple[int, int]], *, promise_only: bool = False, timing: bool = True
) -> tuple[str, int, int] | None:
    """The first cue that makes a concern urgent: (rule, start, end) in ``norm``, or None.

    ``spans`` are where the concern was read (a rule's words; the whole entry for the model). A cue
    counts in the sentence of the concern or the one either side of it ("I want to die. Nobody is
    home till Sunday."), not in an unrelated sentence of a long entry ("we barely talked tonight").
    """
    sentences = [(m.start(), m.end()) for m in _SENTENCES.finditer(norm)]
    near: list[tuple[int, int]] = []
    own: set[tuple[int, int]] = set()
    for k, (ss, se) in enumerate(sentences):
        if any(ss < e and s < se for s, e in spans):
            own.add((ss, se))
            for j in (k - 1, k, k + 1):
                if 0 <= j < len(sentences) and sentences[j] not in near:
                    near.append(sentences[j])
    # Each vocabulary is searched once over the whole entry; only those present are tried per sentence.
    words = frozenset(_TOKENS.findall(norm))
    promise = _may_match(_PROMISE, words) and _PROMISE.search(norm) is not None
    refuse = _may_match(_REFUSE_HELP, words) and _REFUSE_HELP.search(norm) is not None
    meds = _may_match(_MED_ANY, words) and _MED_ANY.search(norm) is not None
    heights = _HEIGHT_WORD.search(norm) is not None
    cues = [(rule, pattern) for rule, pattern in _ESCALATORS if _may_match(pattern, words) and pattern.search(norm)]
    # A cue inside an everyday idiom is not a cue ("took a bullet for my husband").
    idioms = [(m.start(), m.end()) for m in _IDIOMS.finditer(norm)] if cues else []
    for ss, se in sorted(near):
        sent = norm[ss:se]
        if _HISTORY.search(sent):
            continue  # "my ex overdosed years ago"
        # leftover pills taken to the pharmacy to be disposed of; the pills given to someone to keep (a
        # safety plan's "safer surroundings" line is protection, not a means at hand)
        routine = (_ROUTINE.search(sent) is not None or _PROTECTIVE.search(sent) is not None
                   or _MEDIA.search(sent) is not None)  # "el noticiero, el muchacho en el puente"
        p = _PROMISE.search(sent) if promise else None
        if p and _CANNOT.search(sent):
            return "urgent.intent", ss + p.start(), ss + p.end()
        r = _REFUSE_HELP.search(sent) if refuse else None
        if r:
            return "urgent.intent", ss + r.start(), ss + r.end()
        if promise_only:
            continue
        if meds and not routine and _MED_ANY.search(sent) and _QTY_ANY.search(sent):
            return "urgent.plan_method", ss, se
        h = _HEIGHT_WORD.search(sent) if heights else None
        if h and _PRESENT.search(sent):
            return "urgent.plan_method", ss + h.start(), ss + h.end()
        for rule, pattern in cues:
            if pattern is _TIMING and (not timing or (ss, se) not in own):
                continue  # a time counts in the sentence of the concern itself
            for c in pattern.finditer(sent):
                cs, ce = ss + c.start(), ss + c.end()
                if _negated(norm, cs) or any(i < ce and cs < j for i, j in idioms):
                    continue
                if routine and rule == "urgent.plan_method":
                    continue
                return rule, cs, ce
    return None


# Hyperbole about a thing, with a laugh: both must be there for a reading to be set aside.
_HYPERBOLE_RULES = frozenset({"urgent.intent", "urgent.plan_method", "concern.wish_dead", "concern.thoughts_of_death"})
_HYPERBOLE_THING = re.compile(
    r"\b(?:estoy que me (?:tiro|aviento|muero|mato|lanzo)|(?:con|por) (?:este|esta|estos|estas|el|la|los|las|tanto|"
    r"tanta|mi|su) (?:examen|examenes|tarea|tareas|trabajo|jefe|jefa|trafico|calor|frio|tesis|proyecto|reunion|"
    r"lavadora|impresora|clase|materia|mate|matematicas|suegra|novela|serie|partido|final|capitulo|fila|cola|excel|"
    r"compu|computadora|informe|reporte|grupo|despertador|correo|correos|tramite|papeleo)|"
    r"(?:with|over|because of) (?:this|that|the|my|these) (?:exam|exams|homework|assignment|job|boss|traffic|heat|"
    r"thesis|project|meeting|printer|class|commute|line|queue|episode|finale|game|spreadsheet|excel|inbox|report|"
    r"group chat|alarm|paperwork)|(?:si|cuando) (?:vuelve|vuelven) a (?:\w+ ){1,6}|"
    r"one more (?:episode|meeting|email|call|song|minute|lecture|zoom)|if (?:i|he|she) (?:have|has) to (?:\w+ ){1,10}"
    r"(?:one more time|again)|(?:si|cuando) (?:tengo|me toca|vuelve a|sigue) (?:que )?(?:\w+ ){1,10}(?:una vez mas|otra vez)|"
    r"if i have to (?:sit through|watch|hear|listen to|"
    r"go to|endure|sit at) (?:one more|another)|si (?:tengo|me toca) (?:que )?(?:aguantar|ver|escuchar|soportar|ir a|"
    r"oir) otr[oa]|(?:exam|test|final|presentation) tomorrow|"
    r"tengo (?:un |el )?(?:examen|parcial|final|exposicion)|si (?:mi|el|la) (?:suegra|suegro|jefe|jefa|profe|maestra|"
    r"maestro|cunada|cunado) (?:me )?(?:vuelve|sigue|pregunta|dice|llama)|me cortaron (?:la luz|el internet|el agua|"
    r"el wifi|el gas)|(?:la|el|mi|los|las) (?:tesis|examen|examenes|jefe|jefa|trafico|tarea|tareas|suegra) me "
    r"(?:tiene|tienen|va a|van a))\b"
)
# "jk" and "just kidding" count; "kidding", "es broma", "mentira" alone do not: "I'm not kidding", "no es
# broma" say the opposite.
_LAUGHING = re.compile(
    r"\b(?:lol|lmao|lmfao|haha\w*|jaja\w*|jeje\w*|jsjs\w*|xd|rofl|jk|(?<!not )(?<!im not )just kidding)\b"
)


# A trigger so trivial that no laugh is needed to read hyperbole: an appliance that fails "every time",
# the Christmas lights that will not work.
_TRIVIAL_TRIGGER = re.compile(
    r"\b(?:every (?:single )?time (?:the|my|this|that|our) (?:printer|wifi|internet|computer|laptop|phone|microwave|"
    r"dishwasher|washing machine|toaster|router|app|website|bus|train|copier|scanner|coffee machine)|"
    r"cada vez que (?:la|el|mi|nuestra|nuestro) (?:impresora|compu|computadora|wifi|internet|celular|microondas|"
    r"lavadora|lavavajillas|router|cafetera|camion|bus)|(?:these|the|this|those|estas|las|esas) (?:christmas|xmas|"
    r"fairy|string|holiday) lights|(?:estas|las|esas) luces (?:de navidad|navidenas))\b"
)


# Acts that, told of a third person or a character with no word of the writer's own before them in the
# sentence, are someone else's story.
_STORY_RULES = frozenset({"urgent.plan_method", "urgent.recent_attempt", "urgent.self_harm_recent"})
_STORY_SUBJECT = (
    r"guy|man|woman|lady|kid|teen|teenager|girl|boy|neighbou?rs?|character|protagonist|hero|heroine|celebrity|actor|"
    r"actress|singer|rapper|author|patient|stranger|someone|somebody|coworkers?|colleague|classmate|friend|cousin|"
    r"brother|sister|uncle|aunt|protagonista|personaje|senora|senor|muchach[oa]|chic[oa]|hombre|mujer|nin[oa]|"
    r"vecin[oa]s?|companer[oa]|compa|amig[oa]|prim[oa]|herman[oa]|tio|tia|paciente|actriz|cantante|alguien|tipo|"
    r"news|noticias|noticiero|podcast|documentary|documental|series|serie|movie|film|pelicula|novel|novela|episode|"
    r"capitulo|article|articulo|show|book|libro|song|cancion"
)
_G_STORY = re.compile(rf"\b(?:{_STORY_SUBJECT})\b")
_WRITER = re.compile(
    r"\b(?:i|im|ive|id|ill|me|my|myself|mine|we|were|our|us|yo|mi|mis|conmigo|nos|estoy|estaba|voy|fui|tengo|"
    r"quiero|intente|tome|subi|sali|sigo|ando)\b"
)


def _someone_elses(norm: str, start: int, end: int) -> bool:
    """Whether the sentence up to ``start`` names someone else or a story, and up to ``end`` nothing of the writer's."""
    left, _ = _sentence(norm, start, end)
    return _WRITER.search(norm, left, end) is None and _G_STORY.search(norm, left, start) is not None


def _hyperbole(norm: str, start: int, end: int) -> bool:
    left, right = _sentence(norm, start, end)
    if _TRIVIAL_TRIGGER.search(norm, left, right):
        return True
    return bool(_HYPERBOLE_THING.search(norm, left, right) and _LAUGHING.search(norm, left, right))


_TRIP = re.compile(
    r"\b(?:vacation|vacations|holiday|retreat|trip|camping|digital detox|off the grid|no phone|vacaciones|viaje|"
    r"retiro|campamento|sin celular|sin cel|sin telefono|sin movil|going away party|farewell party|leaving party|"
    r"leaving do|new job|gave (?:my )?notice|two weeks notice|last day (?:at|of) (?:work|the office|school)|"
    r"retiring|retirement|fiesta de despedida|despedida de soltera|despedida de soltero|nuevo trabajo|nuevo empleo|"
    r"renuncie|me jubilo|jubilacion|mi ultimo dia (?:en|de) (?:la oficina|el trabajo|trabajo|la escuela))\b"
)
_PROTECTIVE = re.compile(
    r"\b(?:(?:give|gave|giving|hand|handed|hand over|handed over) (?:\w+ ){0,3}to (?:\w+ ){0,2}(?:to keep|to hold|to lock|"
    r"for safekeeping|to look after)|lock(?:ed|ing)? (?:them |it |the \w+ |my \w+ )?(?:away|up)|(?:keeps?|keeping|holds?|"
    r"holding) (?:them|it|my \w+|the \w+) for me|(?:get|got|getting) rid of (?:the|my|all the|all my) (?:pills|meds|"
    r"medication|gun|guns|knife|knives|blades|razors)|(?:bajo|con) llave|(?:que|para que) (?:me )?(?:las|los|la|lo) "
    r"(?:guarde|guarden|cuide|tenga)|(?:le|les) (?:di|doy|dare|voy a dar) (?:\w+ ){0,3}(?:para que (?:las|los|la|lo) guarde|"
    r"a guardar))\b"
)
_MEDIA = re.compile(
    r"\b(?:news|newscast|noticiero|noticias|podcast|documentary|documental|tv show|the show|series|serie|movie|film|"
    r"pelicula|novel|novela|episode|capitulo|article|articulo|headline|titular|reel|tiktok)\b"
)
_GOODBYE_WORD = re.compile(r"\b(?:goodbye|bye|farewell|adios)\b")
_BREAKUP = re.compile(
    r"\b(?:breaking up|broke up|break up|divorce|divorcing|separating|splitting up|split up|ending (?:it|things) with|"
    r"terminamos|terminar con|termine con|nos separamos|separarnos|divorcio|divorciarnos|cortamos|lo dejamos)\b"
)
_LETTER_TO_PARTNER = re.compile(
    r"\b(?:wrote (?:him|her|them)|writing (?:him|her)|(?:letter|note) to (?:him|her|my (?:ex|husband|wife|boyfriend|"
    r"girlfriend|partner))|le (?:escribi|deje|voy a escribir|estoy escribiendo)|(?:carta|nota) (?:para|a) (?:el|ella|mi "
    r"(?:ex|esposo|esposa|marido|mujer|novio|novia|pareja)))\b"
)


# Bits 0..n-1: the rules in order; bit n: the farewell cues.
_GATES = _gates.GateIndex(
    [rule.gate for rule in _RULES] + [_gates.gate_for(_FAREWELL.pattern, _COMMON_SAMPLE)], _COMMON_SAMPLE
)
_FAREWELL_BIT = 1 << len(_RULES)


def screen(text: str) -> ScreenResult:
    """Screen one piece of free text for suicide or self-harm risk: rules, then the trained model.

    Parameters
    ----------
    text : str
        What the person wrote, in English or Spanish (other languages are not covered).

    Returns
    -------
    ScreenResult
        ``level`` is the highest level among the reasons, ``"none"`` when nothing matched. The rules
        decide first; when they leave the text below urgent, the model may raise it (reason
        ``concern.model`` or ``urgent.model``, spanning the whole entry) at the thresholds chosen on
        cross-validation. The model never lowers what a rule found.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``. The message never includes the value.
    """
    result, norm, index = _screen_rules(text, "screen")
    if result.level != "urgent" and len(norm.split()) >= MODEL_MIN_WORDS:
        result = _with_model(text, norm, result)
    if result.level == "concern":
        spans = [(s, e) for r in result.reasons for s, e in [_norm_span(index, r)]]
        # Someone else's story, a denial or a long-ago attempt is raised only by a refusal to promise
        # safety ("she asked me to promise not to hurt myself and I couldn't"); a time counts only next
        # to a rule's reading, not the model's alone ("my character died 40 times tonight").
        contextual = is_contextual(result)
        by_rules = any(not r.rule.endswith(".model") for r in result.reasons)
        found = _escalation(norm, spans, promise_only=contextual, timing=by_rules)
        if found is not None:
            rule, s, e = found
            start, end = index[s], index[max(s, e - 1)] + 1
            reason = Reason(rule, text[start:end], start, end)
            return ScreenResult("urgent", (*result.reasons, reason), result.language_hint)
    return result


def _norm_span(index: list[int], reason: Reason) -> tuple[int, int]:
    """Where a reason (offsets in the person's text) sits in the prepared text (``index`` never decreases)."""
    start = bisect.bisect_left(index, reason.start)
    end = bisect.bisect_left(index, reason.end)
    return start, max(end, start + 1)


def _with_model(text: str, norm: str, result: ScreenResult) -> ScreenResult:
    """The model's reading on top of the rules': it may raise the level, never lower it."""
    try:
        model = _model.get_model()
        probs = model.probabilities(model_view(norm))
    except Exception as exc:  # the rules' answer stands; crisis help never depends on this function
        _log.error("screener model unavailable (%s); rules only", type(exc).__name__)
        return result
    t = _thresholds(model, result.language_hint)
    extra: Level | None = None
    # A negation, a long-ago attempt or someone else's story that the rules read stays concern: the
    # model does not know who or when, the rules do ("I'm not going to kill myself").
    contextual = is_contextual(result)
    if result.level == "none" and _hyperbole(norm, 0, len(norm)) and _SENTENCE_END.search(norm.rstrip(" .!?")) is None:
        return result  # one sentence of hyperbole with a laugh: the rules set it aside, the model may not raise it
    t_urgent = t["urgent_from_concern"] if result.level == "concern" else t["urgent"]
    # From none, both heads must agree: an urgent reading that the risk head calls no risk at all ("Me
    # despedí de él con un beso y se fue a trabajar": urgent 0.76, risk 0.09) is the urgent head alone.
    coherent = result.level == "concern" or probs["risk"] >= t["risk"]
    if probs["urgent"] >= t_urgent and not contextual and coherent:
        extra = "urgent"
    elif result.level == "none" and probs["risk"] >= t["risk"]:
        extra = "concern"
    if extra is None:
        return result
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    reason = Reason(f"{extra}.model", text[start:end], start, end)
    return ScreenResult(extra, (*result.reasons, reason), result.language_hint)


# Below this many words the model has too little to read ("First thought.", "No text back" came out
# as risk); the rules still read every short text ("quiero morir", "kms").
MODEL_MIN_WORDS = 4

_CONTEXTUAL = frozenset({"concern.negated_mention", "concern.past_attempt", "concern.mention"})


def is_contextual(result: ScreenResult) -> bool:
    """Whether the rules' only readings are a negation, a long-ago attempt or someone else's story."""
    return bool(result.rules) and result.rules <= _CONTEXTUAL


def _thresholds(model: _model.Model, hint: str | None) -> dict[str, float]:
    """The language's thresholds; the more sensitive of the two when the language is unclear."""
    if hint in model.thresholds:
        return model.thresholds[hint]
    keys = ("risk", "urgent", "urgent_from_concern")
    return {k: min(v[k] for v in model.thresholds.values()) for k in keys}


def screen_rules(text: str) -> ScreenResult:
    """The rules' answer alone, without the model (for training, cross-validation and tests)."""
    return _screen_rules(text, "screen_rules")[0]


def _screen_rules(text: str, caller: str) -> tuple[ScreenResult, str, list[int]]:
    if not isinstance(text, str):
        raise TypeError(f"{caller}() expects str, got {type(text).__name__}")
    if not text or text.isspace():
        return ScreenResult("none", (), None), "", []

    norm, index = _prepare(text)
    hits: list[_Hit] = []
    run = _GATES.candidates(norm) if _USE_GATES else _GATES.all
    for bit, rule in enumerate(_RULES):
        if not run >> bit & 1:
            continue
        for m in rule.pattern.finditer(norm):
            s, e = m.start(), m.end()
            if s == e:
                continue
            name = rule.name
            if name in _SELF_HARM_RULES and _accidental(norm, s, e):
                continue
            if name in _DEATH_IDIOM_RULES and _EMBARRASSED.search(norm, *_sentence(norm, s, e)):
                continue
            if name in _HYPERBOLE_RULES and _hyperbole(norm, s, e):
                continue  # "me quiero matar con este examen jaja", "estoy que me tiro por la ventana jaja"
            if name == "urgent.preparation" and _AT_WORK_RE.search(norm, *_sentence(norm, s, e)):
                continue  # a nurse counting the controlled drugs at the end of a shift
            if rule.check_negation and _negated(norm, s):
                name = "concern.negated_mention"
            elif rule.historical and _historical(norm, s, e):
                name = "concern.past_attempt"
            hits.append(_Hit(name, s, e, _rank(name)))

    # Co-occurrence readings add what the patterns missed; where a pattern already read the same
    # construct there, its tighter span (the person's own words) is the one kept.
    hits.extend(
        c for c in _compose(norm)
        if not any(h.rule == c.rule and h.start < c.end and c.start < h.end for h in hits)
    )
    # Someone else's story or a show's plot ("a podcast about a guy who survived jumping off a bridge",
    # "the neighbour's kid was on the roof threatening to jump"): a mention, not the person's own act.
    if _G_STORY.search(norm):
        hits = [
            _Hit("concern.mention", h.start, h.end, _rank("concern.mention"))
            if h.rule in _STORY_RULES and _someone_elses(norm, h.start, h.end) else h
            for h in hits
        ]
    # Clusters: farewell cues, and a decision next to thoughts of death.
    ideation = any(h.rule in _IDEATION for h in hits)
    cues = []
    if run & _FAREWELL_BIT:
        cues = [m for m in _FAREWELL.finditer(norm) if not _negated(norm, m.start())]
    if _TRIP.search(norm) and not ideation:
        cues = []  # "goodbye cruel world, off on a no-phone retreat for a week"
        # "said goodbye to everyone at my going-away party, starting the new job monday"
        hits = [h for h in hits if not (h.rule == "urgent.goodbye" and _GOODBYE_WORD.search(norm, h.start, h.end))]
    if cues and (
        ideation
        or (len({m.group() for m in cues}) >= 2 and any(_FAREWELL_STRONG_RE.match(m.group()) for m in cues))
    ):
        hits.extend(_Hit("urgent.goodbye", m.start(), m.end(), 3) for m in cues)
    strong_cue = any(_FAREWELL_STRONG_RE.match(m.group()) for m in cues)
    if ideation or strong_cue or _MEANS_AT_HAND.search(norm):
        hits.extend(
            _Hit("urgent.intent", m.start(), m.end(), 3)
            for m in _DECISION.finditer(norm)
            if not _negated(norm, m.start())
        )

    if _BREAKUP.search(norm):
        # A goodbye letter to the partner at a break-up ("wrote him a goodbye letter, we're breaking up").
        hits = [h for h in hits if not (h.rule in ("urgent.preparation", "urgent.goodbye")
                                        and _LETTER_TO_PARTNER.search(norm, *_sentence(norm, h.start, h.end)))]

    # Keep a hit unless another hit overlapping it outranks it (or ranks the same and is longer, or
    # is the same length and found first). This drops "kill myself" as a bare mention when it sits
    # inside "I'm going to kill myself", and keeps separate sentences as separate reasons.
    hits.sort(key=lambda h: (h.start, -h.length))
    max_len = max((h.length for h in hits), default=0)
    kept: list[_Hit] = []
    for i, h in enumerate(hits):
        if not _beaten(hits, i, max_len):
            kept.append(h)

    reasons = tuple(
        Reason(h.rule, text[index[h.start] : index[h.end - 1] + 1], index[h.start], index[h.end - 1] + 1)
        for h in kept
    )
    level: Level = "none"
    if any(r.rule.startswith("urgent.") for r in reasons):
        level = "urgent"
    elif reasons:
        level = "concern"
    return ScreenResult(level, reasons, _language_hint(norm, text)), norm, index
