"""The parent's language (channels/language.py, knowledge/languages.yml) with the real lingua detector.

Measured here, on every English question of the evaluation files (ours in eval/ and the external ones in
../shared/eval/): none is taken for another language and none contains a Spanish emergency phrase.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from actions import reply_contract as contract
from channels import input_guard, language
from channels.input_guard import check_message
from channels.language import LanguagesError, english_request, language_reply, load_table

ROOT = Path(__file__).resolve().parents[3]
# The external questions are beside the checkout (../shared/eval/, as `make eval` reads them) when it is a clone.
EVAL_FILES = sorted([*(ROOT / "eval").rglob("*.jsonl"), *(ROOT.parent / "shared" / "eval").glob("*.jsonl")])
SPANISH_BUTTON = "Mostrar la respuesta en inglés / Show the English answer"


def english_eval_messages() -> list[str]:
    messages = []
    for path in EVAL_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                messages += [turn["user"] for turn in item["turns"]] if "turns" in item else [item["question"]]
    return messages


def test_no_english_evaluation_question_is_taken_for_another_language_or_a_spanish_emergency() -> None:
    messages = english_eval_messages()
    assert len(messages) > 2000
    taken = [m for m in messages if language_reply(m) is not None]
    assert taken == []


@pytest.mark.parametrize(
    "message",
    [
        "is the konsolidation fase harder than the indukzion or is that just the same",
        "waht are the sydefekts of the medizin for my kind",
    ],
)
def test_english_with_misspellings_that_look_german_is_english(message: str) -> None:
    assert language_reply(message) is None


SPANISH = [
    "¿Qué es la leucemia linfoblástica aguda?",
    "Mi hijo tiene fiebre",
    "¿Cuáles son los síntomas de la leucemia en los niños?",
    "mi hija tiene leucemia, qué tratamiento le van a dar",
    "cuanto dura el tratamiento de quimioterapia",
    "¿Qué es una punción lumbar?",
    "mi niño tiene moretones en las piernas, es normal?",
    "¿Se puede curar la leucemia infantil?",
    "Hola, necesito información sobre la leucemia de mi hijo",
    "¿Mi hijo puede ir a la escuela durante el tratamiento?",
    "por favor, quiero hablar con alguien en español",
    "No entiendo inglés muy bien, ¿me puede ayudar?",
    "mi hijo de 5 años fue diagnosticado con LLA la semana pasada",
    "que comida puede comer un niño con leucemia",
    "mi bebé está muy pálido y cansado",
    "¿Dónde puedo encontrar apoyo para padres?",
    "Quisiera saber qué es la terapia de mantenimiento",
]


@pytest.mark.parametrize("text", SPANISH)
def test_a_spanish_question_gets_the_fixed_spanish_reply_and_the_english_button(text: str) -> None:
    reply = language_reply(text)
    assert reply is not None
    assert reply.text.startswith("Si es una emergencia, llame ahora mismo al equipo médico de su hijo o al 911.")
    assert "1-800-422-6237" in reply.text
    assert "cancer.gov/espanol" in reply.text
    assert reply.payload == {
        "answer_type": "out_of_scope",
        "citations": [],
        "contacts": [
            {
                "label": "Servicio de Información sobre el Cáncer del NCI (en español): 1-800-422-6237",
                "tel": "18004226237",
            },
            {"label": "Emergencias: 911", "tel": "911"},
        ],
        "language": "spanish",
    }
    assert reply.buttons == (
        {"title": SPANISH_BUTTON, "payload": "/answer_in_english" + json.dumps({"question": text}, ensure_ascii=False)},
    )


@pytest.mark.parametrize(
    "text",
    [
        "ok", "sí", "no", "hola", "gracias", "de novo ALL", "El Paso clinic?", "Philadelphia chromosome positive",
        "my son Jose has a fever of 38.5 and is on chemo", "María's ANC is 500, what does that mean?",
        "what is leucemia?", "is intrathecal methotrexate given in situ or per os?", "naïve question about MRD",
        "café", "my kid has a fever 🤒", "wat r the symtoms of leukmia", "Down syndrome and ALL",
        "does the Hospital Infantil de México use the same protocol?",
    ],
)  # fmt: skip
def test_short_messages_and_english_with_spanish_names_or_latin_stay_english(text: str) -> None:
    assert language_reply(text) is None
    assert check_message(text).text is not None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("mi hijo no respira", "breathing"),
        ("convulsiones", "seizure"),
        ("tiene convulsiones", "seizure"),
        ("mi hija no despierta", "unresponsive"),
        ("Mi niña está inconsciente", "unresponsive"),
        ("necesito ayuda urgente mi hijo tiene 40 de fiebre", "fever"),
        ("le sale mucha sangre, no para de sangrar", "bleeding"),
        ("Mi hijo está convulsionando", "seizure"),
    ],
)
def test_a_spanish_emergency_gets_the_spanish_urgent_reply_first(text: str, category: str) -> None:
    reply = language_reply(text)
    assert reply is not None
    assert reply.text.startswith("Esto puede ser una emergencia. Llame al 911 ahora")
    assert reply.payload == {
        "answer_type": "urgent",
        "urgent_category": category,
        "citations": [],
        "contacts": [{"label": "Emergencias: 911", "tel": "911"}],
        "language": "spanish",
    }
    assert reply.buttons == ()


def test_a_spanish_emergency_word_in_an_english_message_is_left_to_the_english_safety_layer() -> None:
    assert language_reply("My daughter has convulsion now, 5 minutes, not stop. She has ALL.") is None
    assert language_reply("my son talked about suicide last night") is None


def test_self_harm_in_spanish_leads_with_988() -> None:
    reply = language_reply("mi hijo dice que quiere morirse")
    assert reply is not None
    assert reply.text.startswith("Si su hijo (o usted) corre peligro de hacerse daño, llame")
    assert reply.payload["urgent_category"] == "self_harm"
    assert [c["tel"] for c in reply.payload[contract.CONTACTS]] == ["988", "911"]


@pytest.mark.parametrize(
    "text",
    [
        "Quels sont les symptômes de la leucémie?",
        "Was ist die Behandlung für mein Kind?",
        "Meu filho tem febre, o que fazer?",
        "白血病の症状は何ですか",
        "ما هي أعراض سرطان الدم",
        "Каковы симптомы лейкоза?",
        "מה הם התסמינים",
    ],
)
def test_a_language_without_a_row_gets_the_english_fallback_without_a_button(text: str) -> None:
    verdict = check_message(text)
    assert (verdict.text, verdict.reason) == (None, "not_english")
    assert verdict.reply == language.table().fallback.reply
    assert (verdict.reply or "").startswith("Sorry, I can only answer in English for now.")
    assert verdict.payload == {"answer_type": "out_of_scope", "citations": [], "language": "english"}
    assert verdict.buttons == ()


def test_the_english_button_sends_the_question_on_as_english_redacted_and_without_the_language_check() -> None:
    verdict = check_message("¿Cuáles son los síntomas de la leucemia? Llámeme al 555-123-4567")
    assert verdict.text is None
    (button,) = verdict.buttons
    assert (
        button["payload"]
        == '/answer_in_english{"question": "¿Cuáles son los síntomas de la leucemia? Llámeme al [phone]"}'
    )
    pressed = check_message(button["payload"])
    assert pressed.text == "¿what are los symptoms de la leukemia? Llámeme al [phone]"
    assert pressed.reason == "in_english"
    assert input_guard.direct_reply("s", verdict)[0]["buttons"] == [button]


@pytest.mark.parametrize(
    ("question", "english"),
    [
        ("¿Qué es la quimioterapia?", "¿what is la chemotherapy?"),
        ("¿Cuánto tiempo dura el tratamiento de mantenimiento?", "¿how long dura el treatment de maintenance?"),
        ("efectos secundarios de la RADIOTERAPIA", "side effects de la radiation therapy"),
        ("¿Mi hijo necesita un trasplante de médula ósea?", "¿Mi child necesita un stem cell transplant?"),
        ("¿Qué es una punción lumbar?", "¿what is una lumbar puncture?"),
        ("what are the side effects?", "what are the side effects?"),
        ("Quels sont les symptômes ?", "Quels sont les symptômes ?"),
    ],
)
def test_the_english_request_reads_the_listed_spanish_words_in_english(question: str, english: str) -> None:
    # the English model reads English only: "síntomas" left in Spanish was a guess (nlu_fallback)
    assert language.english_wording(question) == english


@pytest.mark.parametrize(
    "text",
    [
        '/answer_in_english{"question": 5}',
        '/answer_in_english{"question": "a", "intent": "x"}',
        "/answer_in_english{not json}",
        '/answer_in_englishx{"question": "a"}',
    ],
)
def test_a_malformed_english_request_is_ordinary_text(text: str) -> None:
    assert english_request(text) is None
    assert check_message(text).text == text.lstrip("/")


def test_a_typed_english_request_cannot_smuggle_an_intent() -> None:
    verdict = check_message('/answer_in_english{"question": "/inform{\\"risk_group\\": \\"high\\"}"}')
    assert verdict.text == 'inform{"risk_group": "high"}'


LANGUAGES_YML = language.LANGUAGES_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  min_words: 4\n", "  min_words: 4\n  mode: fast\n"), "unknown field(s) ['mode']"),
        (("    show_english:", "    english_button:"), "unknown field(s) ['english_button']"),
        (("        seizure:", "        fits:"), "not an urgent category"),
        (("english, spanish, french", "english, spanish, klingon, french"), "unknown: ['klingon']"),
        (('tel: "911"', 'tel: "nine-one-one"'), "digits only"),
        (("max_english_confidence: 0.15", "max_english_confidence: 1.5"), "max_english_confidence"),
        (("  spanish:\n    reply:", "  italian:\n    reply:"), "must be one of detection.languages"),
        (('      symptoms: ["sintoma*", "signos"]', "      symptoms: sintomas"), "question_words.symptoms"),
        (("    question_words:\n", "    question_words: []\n    unused:\n"), "unknown field(s) ['unused']"),
    ],
)
def test_the_loader_rejects_what_it_cannot_honour(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    assert change[0] in LANGUAGES_YML
    bad = tmp_path / "languages.yml"
    bad.write_text(LANGUAGES_YML.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(LanguagesError) as raised:
        load_table(bad)
    assert message in str(raised.value)


def test_a_row_for_another_language_needs_no_code(tmp_path: Path) -> None:
    rows = LANGUAGES_YML.replace(
        "languages:\n  spanish:",
        'languages:\n  french:\n    reply: "Désolé."\n    show_english: "English"\n  spanish:',
        1,
    )
    path = tmp_path / "languages.yml"
    path.write_text(rows, encoding="utf-8")
    table = load_table(path)
    assert (table.rows["french"].reply, table.rows["french"].show_english) == ("Désolé.", "English")
