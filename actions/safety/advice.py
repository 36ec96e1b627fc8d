"""Requests for advice about one child (``knowledge/safety/advice.yml``): a dose, a decision, that
child's results, prognosis or diagnosis. Only the child's care team can answer these.

:meth:`AdviceRules.kind` returns the kind a message asks for, or None. A sign counts only when the
message is about a particular child or family and asks something, so "why is intrathecal
chemotherapy given?" stays an ordinary question. What is asked is read from the request — the
sentences that ask (:mod:`actions.safety.request`): telling the bot about one's child is context, so
a request that asks for an explanation ("what does high risk mean?", "how is that treated?") without
naming the child, or that says it is general ("in general", "is it common"), is never personal advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from actions.knowledge_base import KNOWLEDGE_DIR
from actions.safety.concepts import SafetyDataError, Sign, SignCatalogue, check_keys, parse_sign
from actions.safety.request import asks_directly, request_tokens
from actions.safety.terms import Term, Token, TokenList, parse_terms

ADVICE_FILE = KNOWLEDGE_DIR / "safety" / "advice.yml"
KINDS = ("dose", "decision", "results", "prognosis", "diagnosis")
_FILE_KEYS = {
    "window", "personal", "indefinite", "asking", "openers", "explanatory", "reason_request", "specific", "general",
    "medicine", "kinds", "told_specifics", "told_back", "bare_diagnosis",
}  # fmt: skip
# Words a `told_back` request may have after its phrase ("fine for week 3?"); "ok, so what is consolidation?"
# has more, and asks something else.
TOLD_BACK_TAIL = 3
_BARE_KEYS = {"requests", "signs"}
_KIND_KEYS = {"care_team_line", "signs", "in_request", "classifier_needs", "not_when"}
# A specific amount of a medicine ("2.5 ml", "40 mg", "two tablets"): about one child's medicine.
_AMOUNT_UNITS = frozenset(
    "mg mgs milligram milligrams ml mls millilitre millilitres mcg micrograms tablet tablets pill pills capsule "
    "capsules".split()
)


@dataclass(frozen=True)
class AdviceKind:
    name: str
    care_team_line: str
    signs: tuple[Sign, ...]
    requests: tuple[bool, ...] = ()  # per sign: it asks by itself (``request: true``), no question needed
    # ``in_request: true``: a sign counts only when part of it is in the request (the sentences that ask);
    # a result, a worry or a sign told in the story before an ordinary question is context.
    in_request: bool = False
    # ``classifier_needs``: the classifier's guess of this kind counts only when the request has one of
    # these terms ("will the chemo make her throw up?" is not a question of her prognosis). Empty: no gate.
    classifier_needs: tuple[Term, ...] = ()
    # ``not_when``: a request with one of these terms asks something else of this kind's words ("what
    # affects his chances?" asks what the outcome depends on): neither its signs nor the classifier count.
    not_when: tuple[Term, ...] = ()


class AdviceRules:
    def __init__(self, path: Path = ADVICE_FILE) -> None:
        name = path.name
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise SafetyDataError(f"{name}: cannot read: {exc}") from None
        spec = check_keys(raw, _FILE_KEYS, name)
        window = spec.get("window", 10)
        try:
            self.personal: frozenset[str] = frozenset(t.words[0] for t in parse_terms(spec.get("personal"), name))
            self.indefinite: frozenset[str] = frozenset(
                t.words[0] for t in parse_terms(spec.get("indefinite"), f"{name}: indefinite")
            )
            self.asking: tuple[Term, ...] = parse_terms(spec.get("asking"), f"{name}: asking")
            self.openers: tuple[Term, ...] = parse_terms(spec.get("openers"), f"{name}: openers")
            self.explanatory: tuple[Term, ...] = parse_terms(spec.get("explanatory"), f"{name}: explanatory")
            self.reason_request: tuple[Term, ...] = parse_terms(spec.get("reason_request"), f"{name}: reason_request")
            self.told_back: tuple[Term, ...] = parse_terms(spec.get("told_back", []), f"{name}: told_back")
            bare = check_keys(spec.get("bare_diagnosis", {}), _BARE_KEYS, f"{name}: bare_diagnosis")
            self.bare_diagnosis: tuple[Term, ...] = parse_terms(bare.get("requests", []), f"{name}: bare_diagnosis")
            self.bare_diagnosis_signs: tuple[Term, ...] = parse_terms(bare.get("signs", []), f"{name}: bare_diagnosis")
            self.general: tuple[Term, ...] = parse_terms(spec.get("general"), f"{name}: general")
            self.specific: tuple[Term, ...] = parse_terms(spec.get("specific"), f"{name}: specific")
            self.medicine: tuple[Term, ...] = parse_terms(spec.get("medicine"), f"{name}: medicine")
        except ValueError as exc:
            raise SafetyDataError(str(exc)) from None
        specifics = spec.get("told_specifics", [])
        if not isinstance(specifics, list):
            raise SafetyDataError(f"{name}: told_specifics must be a list of signs")
        self.told_specifics: tuple[Sign, ...] = tuple(
            parse_sign(raw, window, f"{name}: told_specifics[{i}]") for i, raw in enumerate(specifics)
        )
        kinds = spec.get("kinds")
        if not isinstance(kinds, Mapping) or set(kinds) != set(KINDS):
            raise SafetyDataError(f"{name}: kinds must be exactly {list(KINDS)}")
        self.kinds: dict[str, AdviceKind] = {}
        for kind_name in KINDS:
            where = f"{name}: kinds.{kind_name}"
            kind = check_keys(kinds[kind_name], _KIND_KEYS, where)
            line = kind.get("care_team_line")
            if not isinstance(line, str) or not line.strip():
                raise SafetyDataError(f"{where}: care_team_line is required")
            signs = kind.get("signs")
            if not isinstance(signs, list) or not signs:
                raise SafetyDataError(f"{where}: signs must be a non-empty list")
            in_request = kind.get("in_request", False)
            if not isinstance(in_request, bool):
                raise SafetyDataError(f"{where}: in_request must be true or false, got {in_request!r}")
            requests = []
            for i, raw_sign in enumerate(signs):
                request = raw_sign.get("request", False) if isinstance(raw_sign, Mapping) else False
                if not isinstance(request, bool):
                    raise SafetyDataError(f"{where}.signs[{i}]: request must be true or false, got {request!r}")
                requests.append(request)
            self.kinds[kind_name] = AdviceKind(
                kind_name,
                line.strip(),
                tuple(parse_sign(_without_request(s), window, f"{where}.signs[{i}]") for i, s in enumerate(signs)),
                tuple(requests),
                in_request,
                _optional_terms(kind, "classifier_needs", where),
                _optional_terms(kind, "not_when", where),
            )

    def vocabulary(self) -> list[str]:
        return [w for k in self.kinds.values() for s in k.signs for g in s.groups for t in g for w in t.vocabulary()]

    def about_someone(self, tokens: list[Token]) -> bool:
        """Whether the message is about a particular child or family: a `personal` word (not "a child",
        nor the doctors' "they" in "how do they treat it"), a specific amount of a medicine ("the
        label says 2.5 ml"), or a detail of one child told without naming them (`told_specifics`: "4yo,
        16kg", "ANC 450"), not after an `indefinite` word ("a 12 year old")."""
        return (
            self.names_someone(_without_the_care_team(tokens, self.explanatory))
            or _names_an_amount(tokens)
            or self.tells_specifics(tokens)
        )

    def tells_specifics(self, tokens: list[Token]) -> bool:
        """Whether ``tokens`` tell `told_specifics` details, none of them after an `indefinite` word: in
        "what risk group is a 3 year old with wbc 20000?" every detail is of a child imagined."""
        matches = [m for sign in self.told_specifics for m in SignCatalogue.find_sign("told_specifics", sign, tokens)]
        return bool(matches) and not any(m.start > 0 and tokens[m.start - 1].text in self.indefinite for m in matches)

    def names_someone(self, tokens: list[Token]) -> bool:
        """Whether ``tokens`` hold a `personal` word that is not right after an `indefinite` one: "my
        child", "she" name someone; "a child", "any kid" may be anybody ("what are the signs of
        leukemia in a child?")."""
        return any(
            t.text in self.personal and not (i > 0 and tokens[i - 1].text in self.indefinite)
            for i, t in enumerate(tokens)
        )

    def request(self, tokens: list[Token]) -> TokenList:
        """The sentences of ``tokens`` that ask (the last sentence when none does)."""
        return request_tokens(tokens, self.openers)

    def asks(self, tokens: list[Token]) -> bool:
        """Whether the message asks something: a "?", an opener at the start of a sentence or phrase,
        or an `asking` phrase ("tell me", "can i", "will he")."""
        return self.asks_directly(tokens) or any(next(term.find(tokens), None) for term in self.asking)

    def asks_directly(self, tokens: list[Token]) -> bool:
        """Whether the message has a question: a "?" or an asking word opening a sentence or phrase."""
        return asks_directly(tokens, self.openers)

    def general_request(self, tokens: list[Token]) -> bool:
        """Whether the message's request is general: it has no `specific` phrase ("in his case") and
        says it is general ("in general", "is it common") in its request's sentences, or anywhere when the request
        names no one ("we want to understand in general. is ...?"), or its request opens by asking for
        an explanation ("what is", "how is ... treated") and names no one, unless it asks what the
        message told means (`told_back`: "his platelets went from 120 to 40, what does that mean?").
        "90% of children with ALL are cured. What are her real chances?" is about her."""
        if any(next(term.find(tokens), None) for term in self.specific):
            return False
        request = self.request(tokens)
        names_someone = self.names_someone(_without_the_care_team(request, self.explanatory))
        asked = {t.sentence for t in request}
        where = TokenList(t for t in tokens if t.sentence in asked) if names_someone else tokens
        if any(next(term.find(where), None) for term in self.general):
            return True
        if names_someone:
            return False
        if self._asks_what_a_result_means(tokens, request):
            return False
        return any(start == 0 for term in self.explanatory for start, _ in term.find(request))

    def _asks_only_whether_it_is_the_illness(self, tokens: list[Token]) -> bool:
        """Whether the message's last sentence is only a `bare_diagnosis` question ("Leukemia?", "Is it
        leukemia?") and the sentences before it tell a sign without asking ("Bruises, tired, pale for a
        month."): the signs told are what is asked about."""
        if not tokens or tokens[0].sentence == tokens[-1].sentence:
            return False
        last = tokens[-1].sentence
        asked = [t for t in tokens if t.sentence == last]
        told = TokenList(t for t in tokens if t.sentence != last)
        if any(t.question for t in told) or not any(next(term.find(told), None) for term in self.bare_diagnosis_signs):
            return False
        return any(start == 0 and end == len(asked) for term in self.bare_diagnosis for start, end in term.find(asked))

    def _asks_what_a_result_means(self, tokens: list[Token], request: list[Token]) -> bool:
        """Whether the request's first sentence is a `told_back` phrase, with at most TOLD_BACK_TAIL words
        after it ("what does that mean?", "too low?", "normal for maintenance?"), and the message tells a
        result (a `results` sign or a `told_specifics` detail): "his platelets went from 120 to 40, what
        does that mean?" asks about his results; "the doctor said 'refractory'. What does that mean?"
        asks what a word means."""
        first_sentence_end = sum(1 for t in request if t.sentence == request[0].sentence) if request else 0
        if not any(
            start == 0 and end >= first_sentence_end - TOLD_BACK_TAIL
            for term in self.told_back
            for start, end in term.find(request)
        ):
            return False
        results = self.kinds["results"]
        return self.tells_specifics(tokens) or any(
            SignCatalogue.find_sign("results", sign, tokens) for sign in results.signs
        )

    def names_a_medicine(self, tokens: list[Token]) -> bool:
        """Whether the message names a medicine or a dose of one (a `medicine` word, or an amount such as
        "2.5 ml")."""
        return _names_an_amount(tokens) or any(next(term.find(tokens), None) for term in self.medicine)

    def fits_classified_kind(self, kind: str, tokens: list[Token]) -> bool:
        """Whether the message has one of the `classifier_needs` terms of ``kind`` (True when the kind
        has none; the whole message counts: "whats my sons survival rate. hes 12 high risk" asks in its
        first sentence) and its request none of the kind's `not_when` terms: the classifier's guess of
        that kind needs both."""
        if kind not in self.kinds:
            return True
        needs = self.kinds[kind].classifier_needs
        has_needs = not needs or any(next(term.find(tokens), None) for term in needs)
        return has_needs and not self._asks_otherwise(self.kinds[kind], tokens)

    def _asks_otherwise(self, kind: AdviceKind, tokens: list[Token]) -> bool:
        """Whether the request has one of the kind's `not_when` terms."""
        if not kind.not_when:
            return False
        request = self.request(tokens)
        return any(next(term.find(request), None) for term in kind.not_when)

    def asks_for_a_reason(self, tokens: list[Token]) -> bool:
        """Whether the request opens by asking why (a `reason_request` phrase: "why is my daughter
        taking dasatinib?", "how come he needs ..."), naming the child or not."""
        request = self.request(tokens)
        return any(start == 0 for term in self.reason_request for start, _ in term.find(request))

    def kind(self, tokens: list[Token]) -> str | None:
        """The kind of advice ``tokens`` ask for about a particular child, or None. A sign marked
        ``request: true`` needs no question; the others need the message to ask. A sign of a kind marked
        ``in_request`` counts only when one of its words is in the request's sentences: "his white count
        was low at diagnosis. At what age are children counted as high risk?" asks nothing about his
        results; a results sign told before a `told_back` request ("Plt 35 today. Too low?") does count.
        Signs told, then only the illness asked ("Bruises, tired, pale. Leukemia?"), are a diagnosis
        question whoever is named."""
        if self._asks_only_whether_it_is_the_illness(tokens):
            return "diagnosis"
        if not self.about_someone(tokens) or self.general_request(tokens):
            return None
        asks = self.asks(tokens)
        asked: frozenset[int] | None = None  # the request's sentences, found once when needed
        told_back: bool | None = None  # whether the request asks what a told result means, once when needed
        for kind in self.kinds.values():
            if self._asks_otherwise(kind, tokens):
                continue
            for sign, is_request in zip(kind.signs, kind.requests, strict=True):
                if not (asks or is_request):
                    continue
                found = SignCatalogue.find_sign(kind.name, sign, tokens)
                if not found:
                    continue
                if is_request or not kind.in_request:
                    return kind.name
                if asked is None:
                    asked = frozenset(t.sentence for t in self.request(tokens))
                if any(tokens[i].sentence in asked for match in found for i in range(match.start, match.end)):
                    return kind.name
                if kind.name == "results" and told_back is None:
                    told_back = self._asks_what_a_result_means(tokens, self.request(tokens))
                if kind.name == "results" and told_back:
                    return kind.name  # "Plt 35 today. Too low?": the request asks about the result told
        return None


def _optional_terms(kind: Mapping[str, object], key: str, where: str) -> tuple[Term, ...]:
    """The terms of a kind's optional ``key`` (none when it is absent)."""
    raw = kind.get(key)
    if raw is None:
        return ()
    try:
        return parse_terms(raw, f"{where}.{key}")
    except ValueError as exc:
        raise SafetyDataError(str(exc)) from None


def _without_request(raw: object) -> object:
    """A sign's YAML without its ``request`` flag (which only advice signs have)."""
    if isinstance(raw, Mapping):
        return {k: v for k, v in raw.items() if k != "request"}
    return raw


def _without_the_care_team(request: list[Token], explanatory: tuple[Term, ...]) -> TokenList:
    """``request`` without a "they" right after an explanatory opener: in "how do they treat that?"
    they are the doctors, not the family."""
    doctors = {
        end
        for term in explanatory
        for start, end in term.find(request)
        if end < len(request) and request[end].text == "they"
    }
    return TokenList(t for i, t in enumerate(request) if i not in doctors)


def _names_an_amount(tokens: list[Token]) -> bool:
    """A number followed by a unit of medicine ("2.5 ml", "40 mg", "2 tablets")."""
    return any(
        t.text.replace(".", "", 1).replace(",", "", 1).isdigit()
        and i + 1 < len(tokens)
        and tokens[i + 1].text in _AMOUNT_UNITS
        for i, t in enumerate(tokens)
    )
