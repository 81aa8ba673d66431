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
   ``concern.past_attempt``.
5. Overlapping matches of a lower rank than another match are dropped; the level is the highest
   remaining one.

The screener misses things and flags some harmless sentences. It is one signal among several and
never the thing that decides whether crisis help is visible: that help is shown everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["LEVELS", "Reason", "ScreenResult", "screen"]

Level = Literal["none", "concern", "urgent"]
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
    rf"(?:{_KILL}(?:ing|ed|s)? {_SELF}|kms|unalive(?:d|ing)? {_SELF}|off(?:ing|ed)? {_SELF}|"
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
    r"acetaminophen|ibuprofen|advil|aspirin|antidepressants|sleeping tablets|xanax|benzos)"
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
_ES_PILLS = r"(?:pastillas|pildoras|medicinas|medicamentos|tabletas|calmantes|somniferos|antidepresivos)"
_IDIOM_DEATH_ES = (
    r"(?! de (?:risa|verguenza|hambre|sueno|frio|calor|envidia|ganas|aburrimiento|cansancio|amor|"
    r"nervios|la risa|pena ajena))"
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


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    # False when the pattern carries its own negation ("I don't want to live") or is about others.
    check_negation: bool = True
    # True for attempt rules: "years ago" lowers them to concern.past_attempt.
    historical: bool = False


def _r(name: str, *alternatives: str, check_negation: bool = True, historical: bool = False) -> _Rule:
    joined = "|".join(f"(?:{a})" for a in alternatives)
    return _Rule(name, re.compile(rf"\b(?:{joined})\b"), check_negation, historical)


_RULES: tuple[_Rule, ...] = (
    # ---------------------------------------------------------------- urgent
    _r(
        "urgent.intent",
        rf"{_MODAL}{_FILLER} (?:{_KILL_SELF}|{_SUICIDE}|(?:kill|kil) (?:my|my own) ?self)",
        rf"{_KILL_SELF}(?: \w+){{0,2}} {_TIME}",
        rf"{_TIME}(?: \w+){{0,3}} (?:end (?:it|things|my life)|{_KILL_SELF})(?! with| between)",
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
        r"(?:bridge|roof|rooftop|ledge|balcony|edge|cliff|platform|tracks)(?: \w+){0,6} (?:and )?(?:going to |gonna |"
        r"about to |want to |wanna |will |ready to |)(?:jump|jumped|jumping)",
        r"(?:como|forma de|formas de|manera de|maneras de) (?:matarme|suicidarme|quitarme la vida|"
        r"morir sin dolor|ahorcarme)",
        rf"cuantas {_ES_PILLS}(?: \w+){{0,4}} (?:para morir|matan|mata|necesito)",
        r"dosis letal",
        r"(?:cortarme|me corte|me voy a cortar) las venas",
        r"tirarme (?:de|del|desde|por) (?:un|el|la|una|ese|este)? ?"
        r"(?:puente|edificio|balcon|ventana|azotea|techo|acantilado|terraza)",
        r"me (?:voy a|quiero|pienso|tengo que) (?:tirar|lanzar|aventar) (?:de|del|desde|por|al|a las|bajo|delante de) "
        r"(?:un |el |la |una |las )?(?:puente|edificio|balcon|ventana|azotea|techo|acantilado|terraza|tren|metro|vias|coche)",
        r"tirarme (?:a|al|bajo|delante de|debajo de) (?:las vias|el tren|un tren|un coche|un camion|el metro|un carro)",
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
        r"(?:rope|noose)",
        r"\bnoose\b",
        r"(?:the|a|my) (?:rope|noose) (?:is|s) (?:in|ready|tied|hanging|under|up|on)",
        r"(?:wrote|written|writing|left|leaving) (?:the |some |all the )?letters (?:to|for) (?:everyone|each of them|"
        r"all of them|my (?:family|kids|children|parents|partner|husband|wife|friends))",
        r"(?:escribi|he escrito|escribiendo|deje|dejando) (?:las|unas|mis|todas las) cartas (?:para|a) (?:mi familia|"
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
        r"(?:compre|tengo|consegui|encontre|ate|atando|colgue) (?:una|la|mi) (?:cuerda|soga|pistola|arma)",
        r"(?:escribi|escribiendo|escribo|voy a escribir|deje|hice|haciendo|firme) (?:una |mi |la )"
        r"(?:carta de despedida|nota de despedida|nota de suicidio|testamento|ultima carta)",
        r"carta de despedida|nota de suicidio",
        r"(?:regalando|regale|regalar|voy a regalar|repartiendo|reparti) (?:todas )?(?:mis|todas mis) "
        r"(?:cosas|pertenencias|mascotas)",
        r"(?:dejando|deje|dejar) (?:todo|mis cosas|mis asuntos) en orden",
    ),
    _r(
        "urgent.recent_attempt",
        r"(?:took|swallowed|downed|taken|take|took like|just took) (?:too many|a lot of|all (?:of )?(?:my|the|of my)|"
        r"a bunch of|a whole (?:bottle|box|pack|packet|strip) of|the whole (?:bottle|box|pack|packet)(?: of)?|"
        r"handfuls? of|lots of|way too many|so many|\d{2,3}|twenty|thirty|forty|fifty) "
        rf"(?:\w+ )?{_PILLS}",
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
    ),
    _r(
        "urgent.goodbye",
        r"this is (?:my )?(?:goodbye|farewell|the end|my last (?:message|post|entry|note|words))",
        r"(?:goodbye|bye) (?:forever|everyone|world|cruel world|for good|to everyone)",
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
        r"ojala (?:me muriera|me muera|estuviera muert[oa]|no despertara|no despertar|no hubiera nacido|"
        r"no existiera|desaparecer)",
        rf"ganas de (?:morir|morirme|desaparecer para siempre|no despertar|dejar de existir){_IDIOM_DEATH_ES}",
        r"(?:prefiero|preferiria) (?:estar muert[oa]|morir|morirme)(?! (?:de|antes|que))",
        r"mejor (?:estar )?muert[oa]",
        r"no quiero despertar(?:me)?",
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
        r"(?:nobody|no one|noone) (?:would|will|d|is going to|gonna) (?:even )?(?:miss me|notice (?:if|that) i|"
        r"care (?:if|that) i|cry (?:for|over) me)",
        r"solo (?:estorbo|molesto a todos|soy un problema)",
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
        r"(?:dont|do not|didnt|no longer) (?:want|wanna|wish) (?:to )?(?:live|be alive|exist|be here|be around|"
        r"go on|keep living|carry on)(?: any ?more| any longer| like this)?",
        r"(?:dont|do not|cant|cannot) see (?:the|any) (?:point|reason) (?:of|in|to|for) (?:living|life|going on|"
        r"anything|being alive|carrying on)",
        r"(?:not|never) (?:want|wanna) (?:to )?be (?:here|alive|around) (?:any ?more|any longer)",
        r"(?:dont|do not) (?:think|know if|feel like|even know if) i (?:want|wanna) (?:to )?(?:live|be alive|be here|"
        r"exist|go on|keep living)",
        r"(?:life|living|my life|everything) (?:feels|seems|is|has been|just feels) (?:so |completely |totally )?"
        r"(?:pointless|meaningless)",
        r"not wanting to (?:be alive|live|be here any ?more|exist|wake up|go on)",
        r"(?:tired|sick|exhausted|weary) of (?:living|being alive|life|existing|waking up)",
        r"(?:theres|there is|its|is) no point (?:any ?more|in anything|to anything|to any of it|in trying any ?more|"
        r"in me)",
        r"(?:cansad[oa]|harto|harta|agotad[oa]) de (?:vivir|estar viv[oa]|la vida|existir)",
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
        check_negation=False,
    ),
    _r(
        "concern.thoughts_of_death",
        rf"(?:thinking|thought|think|thoughts|thinkin|dreaming|fantasi[sz]ing|fantasies) (?:a lot |so much |again )?"
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
    ),
    _r(
        "concern.cant_go_on",
        r"(?:ya )?no (?:aguanto|puedo|soporto) (?:mas|con (?:mas|todo|esto|mi vida|esta vida))(?= *(?:[.!?,;]|$|"
        r"y |con (?:todo|esto|esta vida|mi vida)|esta vida))",
        r"no puedo (?:seguir|continuar) (?:asi|viviendo asi|con (?:esta vida|mi vida))",
        r"(?:me rindo|renuncio) (?:con|a) (?:todo|la vida|vivir)",
        r"i (?:cant|cannot|can not) (?:take|handle|bear|do|stand) (?:it|this|any of this|this life|life|living)"
        r" (?:any ?more|any longer)",
        r"i (?:cant|cannot|can not) (?:go on|keep going|carry on)(?! with| like this with| to)",
        r"(?:giving up|give up|given up|gave up) on (?:life|living|everything|myself)",
        r"(?:dont|do not) know how (?:much )?(?:longer|long) i can (?:keep (?:living|going|doing this|going on)|"
        r"live|go on|hold on|do this|take this|last)",
        check_negation=False,
    ),
    # Mentions about others or the topic in general, e.g. a documentary or a friend's loss.
    _r(
        "concern.mention",
        rf"{_SUICIDE}(?! squad| doors?| run| drill| prevention| awareness)",
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


def _historical(norm: str, start: int, end: int) -> bool:
    left = norm.rfind(".", 0, start)
    for ch in "!?\n":
        left = max(left, norm.rfind(ch, 0, start))
    m = _SENTENCE_END.search(norm, end)
    right = m.start() if m else len(norm)
    return _HISTORY.search(norm, left + 1, right) is not None


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


def screen(text: str) -> ScreenResult:
    """Screen one piece of free text for suicide or self-harm risk.

    Parameters
    ----------
    text : str
        What the person wrote, in English or Spanish (other languages are not covered).

    Returns
    -------
    ScreenResult
        ``level`` is the highest level among the reasons, ``"none"`` when nothing matched.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``. The message never includes the value.
    """
    if not isinstance(text, str):
        raise TypeError(f"screen() expects str, got {type(text).__name__}")
    if not text or text.isspace():
        return ScreenResult("none", (), None)

    norm, index = _normalise(text)
    hits: list[_Hit] = []
    for rule in _RULES:
        for m in rule.pattern.finditer(norm):
            s, e = m.start(), m.end()
            if s == e:
                continue
            name = rule.name
            if rule.check_negation and _negated(norm, s):
                name = "concern.negated_mention"
            elif rule.historical and _historical(norm, s, e):
                name = "concern.past_attempt"
            hits.append(_Hit(name, s, e, _rank(name)))

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
    return ScreenResult(level, reasons, _language_hint(norm, text))
