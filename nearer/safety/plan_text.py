"""Words for the safety plan and the crisis card, in English and Spanish.

The plan follows the six published parts of Stanley-Brown safety planning, in their
order, plus "my reasons for living". The wording is ours, not the form's. The phone
numbers come from :mod:`nearer.safety.crisis`, the single source for crisis resources.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from nearer.safety.crisis import (
    CRISIS_TEXT_ES_WORD,
    CRISIS_TEXT_NUMBER,
    CRISIS_TEXT_WHATSAPP_LABEL,
    CRISIS_TEXT_WORD,
    EMERGENCY_NUMBER,
    LIFELINE_CHAT_LABEL,
    LIFELINE_ES_CHAT_LABEL,
    LIFELINE_ES_TEXT_WORD,
    LIFELINE_NUMBER,
    SPANISH_OPTION,
    VETERANS_OPTION,
)

LANGS: tuple[str, ...] = ("en", "es")
DEFAULT_LANG = "en"

#: The six safety-planning parts in their published order, then reasons for living.
PLAN_PARTS: tuple[str, ...] = (
    "warning_signs",
    "cope_alone",
    "distractions",
    "people_to_ask",
    "professionals",
    "safer_surroundings",
    "reasons_for_living",
)


@dataclass(frozen=True, slots=True)
class PartText:
    key: str
    title: str
    explanation: str
    hints: tuple[str, ...]


def normalise_lang(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANG
    base = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in LANGS else DEFAULT_LANG


_PARTS: dict[str, dict[str, PartText]] = {
    "en": {
        "warning_signs": PartText(
            "warning_signs",
            "Signs that a hard time is building",
            "The thoughts, feelings, situations or body signals that tell you things are getting harder.",
            (
                "After a fight with my partner, or a long silence between us",
                "When I feel invisible next to my partner",
                "Lying awake going over the same thoughts",
                "Cancelling plans and pulling away from everyone",
            ),
        ),
        "cope_alone": PartText(
            "cope_alone",
            "Things I can do on my own to get through it",
            "Small things that have helped you ride out a wave before, without needing anyone else.",
            (
                "Splash cold water on my face or take a warm shower",
                "Walk around the block, even slowly",
                "Put on the music that steadies me",
                "Write down what I feel, then close the notebook",
            ),
        ),
        "distractions": PartText(
            "distractions",
            "People and places that take my mind elsewhere",
            "Places to go and people to be around that can shift your attention for a while. You don't have to talk about how you feel.",
            (
                "A coffee shop, library or park with people around",
                "Calling a cousin or a friend to chat about nothing much",
                "A class, a place of worship or a group I belong to",
            ),
        ),
        "people_to_ask": PartText(
            "people_to_ask",
            "People I can ask for help",
            "People you trust enough to tell that you're struggling and to ask for help.",
            (
                "A friend or relative who has been there for me before",
                "Someone I can text when calling feels like too much",
                "My partner, only if I choose to add them. Nearer never adds anyone for me.",
            ),
        ),
        "professionals": PartText(
            "professionals",
            "Professionals and crisis lines",
            "Who to contact when you need more help than the people around you can give.",
            (
                "My therapist, and how to reach them (or who covers when they're away)",
                f"{LIFELINE_NUMBER}: call or text, any time of day or night",
                f"{EMERGENCY_NUMBER}, or the nearest emergency room, if I'm in immediate danger",
                f"Crisis Text Line: text {CRISIS_TEXT_WORD} to {CRISIS_TEXT_NUMBER}",
            ),
        ),
        "safer_surroundings": PartText(
            "safer_surroundings",
            "Making my surroundings safer",
            "Ways to put time and distance between you and anything you could use to hurt yourself, while things are hard.",
            (
                "Ask someone I trust to keep my medicines and hand me only what I need",
                "Ask someone to hold on to any firearms for now, or keep them locked, unloaded and apart from ammunition",
                "Keep anything else I could use to hurt myself out of the house, or somewhere hard to reach",
                "Spend a hard night somewhere with other people around",
            ),
        ),
        "reasons_for_living": PartText(
            "reasons_for_living",
            "My reasons for living",
            "The people, hopes and small things that make staying worth it, even on a bad day.",
            (
                "People I love, and people who love me",
                "A pet who counts on me",
                "Something I still want to see, do or finish",
                "Small things I'd miss: a song, morning coffee, the ocean",
            ),
        ),
    },
    "es": {
        "warning_signs": PartText(
            "warning_signs",
            "Señales de que se acerca un momento difícil",
            "Los pensamientos, sentimientos, situaciones o señales del cuerpo que te avisan que las cosas se están poniendo más difíciles.",
            (
                "Después de una pelea con mi pareja, o de un largo silencio entre mi pareja y yo",
                "Cuando siento que mi pareja no me ve, como si yo fuera invisible",
                "Cuando no puedo dormir y le doy vueltas a lo mismo",
                "Cuando cancelo planes y me alejo de todo el mundo",
            ),
        ),
        "cope_alone": PartText(
            "cope_alone",
            "Lo que puedo hacer por mi cuenta para atravesarlo",
            "Cosas pequeñas que ya te han ayudado a aguantar una ola difícil, sin necesitar a nadie más.",
            (
                "Echarme agua fría en la cara o darme una ducha tibia",
                "Caminar alrededor de la cuadra, aunque sea despacio",
                "Poner la música que me calma",
                "Escribir lo que siento y después cerrar el cuaderno",
            ),
        ),
        "distractions": PartText(
            "distractions",
            "Personas y lugares que me ayudan a despejarme",
            "Lugares a donde ir y personas con quienes estar que pueden cambiar el foco de tu atención por un rato. No hace falta hablar de cómo te sientes.",
            (
                "Un café, una biblioteca o un parque donde haya gente",
                "Llamar a un primo, una prima o una amistad para platicar de cualquier cosa",
                "Una clase, un lugar de culto o un grupo al que pertenezco",
            ),
        ),
        "people_to_ask": PartText(
            "people_to_ask",
            "Personas a quienes puedo pedir ayuda",
            "Personas en quienes confías lo suficiente para decirles que estás pasando un mal momento y pedirles ayuda.",
            (
                "Una amistad o un familiar que ya me ha apoyado antes",
                "Alguien a quien pueda escribirle cuando llamar se me hace demasiado",
                "Mi pareja, solo si yo decido agregarla. Nearer nunca agrega a nadie por mí.",
            ),
        ),
        "professionals": PartText(
            "professionals",
            "Profesionales y líneas de crisis",
            "A quién contactar cuando necesitas más ayuda de la que pueden darte las personas a tu alrededor.",
            (
                "Mi terapeuta, y cómo comunicarme (o quién me atiende cuando no está disponible)",
                f"{LIFELINE_NUMBER}: llamar y marcar el {SPANISH_OPTION} para hablar en español, o enviar "
                f"{LIFELINE_ES_TEXT_WORD} al {LIFELINE_NUMBER}, a cualquier hora del día o de la noche",
                f"El {EMERGENCY_NUMBER}, o la sala de emergencias más cercana, si estoy en peligro inmediato",
                f"Crisis Text Line: enviar {CRISIS_TEXT_ES_WORD} al {CRISIS_TEXT_NUMBER}",
            ),
        ),
        "safer_surroundings": PartText(
            "safer_surroundings",
            "Hacer que mi entorno sea más seguro",
            "Formas de poner tiempo y distancia entre tú y cualquier cosa que podrías usar para hacerte daño, mientras las cosas están difíciles.",
            (
                "Pedirle a alguien de confianza que guarde mis medicinas y me dé solo lo que necesito",
                "Pedirle a alguien que guarde por ahora cualquier arma de fuego, o mantenerla bajo llave, descargada y lejos de las municiones",
                "Sacar de la casa, o dejar en un lugar difícil de alcanzar, cualquier otra cosa que podría usar para hacerme daño",
                "Pasar una noche difícil en un lugar donde haya más gente",
            ),
        ),
        "reasons_for_living": PartText(
            "reasons_for_living",
            "Mis razones para vivir",
            "Las personas, las esperanzas y las cosas pequeñas por las que vale la pena quedarse, incluso en un mal día.",
            (
                "Las personas que quiero y las que me quieren",
                "Una mascota que cuenta conmigo",
                "Algo que todavía quiero ver, hacer o terminar",
                "Cosas pequeñas que extrañaría: una canción, el café de la mañana, el mar",
            ),
        ),
    },
}


def part_text(key: str, lang: str | None = DEFAULT_LANG) -> PartText:
    """Title, one-line explanation and example hints for one plan part.

    Raises ``KeyError`` for a key not in :data:`PLAN_PARTS`.
    """
    if key not in PLAN_PARTS:
        raise KeyError(f"unknown safety plan part {key!r}")
    return _PARTS[normalise_lang(lang)][key]


def all_parts(lang: str | None = DEFAULT_LANG) -> list[PartText]:
    """Every part, in plan order."""
    return [part_text(key, lang) for key in PLAN_PARTS]


CRISIS_CARD: MappingProxyType[str, MappingProxyType[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "heading": "Right now, you don't have to get through this alone",
                "intro": "Start with your own safety plan, or reach out using one of the options below.",
                "my_plan": "My safety plan",
                "no_plan_yet": "You haven't written a safety plan yet. You can make one with your therapist, or on your own when things feel steadier.",
                "safe_for_now": "I'm safe for now",
                "need_help_now": "I need help now",
                "safe_for_now_reply": "Thank you for telling us. This card is always one tap away, whenever you need it.",
                "need_help_now_reply": f"Please reach out now: call or text {LIFELINE_NUMBER}, or call {EMERGENCY_NUMBER} if you are in immediate danger.",
                "lifeline": (
                    f"Call or text {LIFELINE_NUMBER} — the Suicide & Crisis Lifeline. "
                    f"Chat at {LIFELINE_CHAT_LABEL}. On the call, press {SPANISH_OPTION} for Spanish, "
                    f"press {VETERANS_OPTION} for the Veterans Crisis Line."
                ),
                "text_line": f"Text {CRISIS_TEXT_WORD} to {CRISIS_TEXT_NUMBER} (Crisis Text Line)",
                "emergency": f"If you are in immediate danger, call {EMERGENCY_NUMBER}.",
                "not_monitored": "Nobody watches Nearer around the clock, and it does not replace care from a professional or emergency services.",
            }
        ),
        "es": MappingProxyType(
            {
                "heading": "En este momento, no tienes que pasar por esto a solas",
                "intro": "Empieza por tu propio plan de seguridad, o busca ayuda con una de las opciones de abajo.",
                "my_plan": "Mi plan de seguridad",
                "no_plan_yet": "Todavía no has escrito un plan de seguridad. Puedes hacerlo con tu terapeuta, o por tu cuenta cuando las cosas se sientan más estables.",
                "safe_for_now": "Por ahora estoy a salvo",
                "need_help_now": "Necesito ayuda ahora",
                "safe_for_now_reply": "Gracias por contarnos. Esta tarjeta siempre está a un toque, cuando la necesites.",
                "need_help_now_reply": (
                    f"Por favor, busca ayuda ahora: llama al {LIFELINE_NUMBER} y marca el {SPANISH_OPTION}, envía "
                    f"{LIFELINE_ES_TEXT_WORD} al {LIFELINE_NUMBER}, o llama al {EMERGENCY_NUMBER} si estás en "
                    "peligro inmediato."
                ),
                "lifeline": (
                    f"Llama al {LIFELINE_NUMBER} y marca el {SPANISH_OPTION} para hablar en español con la Línea "
                    f"988 de Prevención del Suicidio y Crisis, o envía {LIFELINE_ES_TEXT_WORD} al {LIFELINE_NUMBER}. "
                    f"También puedes chatear en español desde {LIFELINE_ES_CHAT_LABEL}. Durante la llamada, el "
                    f"{VETERANS_OPTION} es para la Línea de Crisis para Veteranos."
                ),
                "text_line": (
                    f"Envía {CRISIS_TEXT_ES_WORD} al {CRISIS_TEXT_NUMBER} (Crisis Text Line en español), o escribe "
                    f"por WhatsApp al {CRISIS_TEXT_WHATSAPP_LABEL}"
                ),
                "emergency": f"Si estás en peligro inmediato, llama al {EMERGENCY_NUMBER}.",
                "not_monitored": "Nadie revisa Nearer a toda hora, y no reemplaza la atención de profesionales ni los servicios de emergencia.",
            }
        ),
    }
)


def crisis_card(lang: str | None = DEFAULT_LANG) -> MappingProxyType[str, str]:
    """The crisis card's words in ``lang`` (English when the language is unknown)."""
    return CRISIS_CARD[normalise_lang(lang)]
