"""A pathway option's explanation as a page says it: in the page's language, skills and roles by
their labels there, text in another language marked as such, and everything escaped."""

from __future__ import annotations

from careshift.domain.pathways import Explanation, PathwayKind, SkillRef
from careshift.entrypoints.web import i18n
from careshift.entrypoints.web.explanations import explain

NORWEGIAN = {"s:registration": "pasientregistrering", "r:psa": "pasientservicemedarbeider"}


def _label(uri: str, fallback: str | None = None) -> tuple[str, str]:
    return (NORWEGIAN[uri], "nb") if uri in NORWEGIAN else (fallback or uri, "en")


def _explained_in(lang: str, explained: Explanation) -> str:
    with i18n.using(lang):
        return str(explain(explained, _label, lang))


def test_a_move_names_what_carries_over_and_what_is_left_to_learn_in_norwegian() -> None:
    switch = Explanation(
        PathwayKind.SWITCH,
        keeps=(SkillRef("s:registration", "patient registration"),),
        needs=(SkillRef("s:phlebotomy", "phlebotomy"), SkillRef("s:ecg", "ECG <recording>")),
        hours=40.4,
    )
    assert _explained_in("nb", switch) == (
        'Du tar med deg pasientregistrering. Gjenstår å lære: <span lang="en">phlebotomy</span>'
        ' og <span lang="en">ECG &lt;recording&gt;</span> (omtrent 40 timer i alt).'
    )


def test_a_move_with_nothing_to_carry_or_learn_says_so() -> None:
    assert _explained_in("sv", Explanation(PathwayKind.PROGRESSION)) == (
        "Få av dina registrerade färdigheter kan tas med. Inget väsentligt saknas."
    )


def test_an_enhancement_names_the_role_and_gives_the_description_in_the_page_language() -> None:
    stay = Explanation(
        PathwayKind.ENHANCEMENT,
        role=SkillRef("r:psa", "patient service associate"),
        adds=(SkillRef("s:registration", "patient registration"),),
        descriptions={"en": "Take blood samples.", "sv": "Ta blodprov."},
    )
    assert _explained_in("en", stay) == (
        'Stay in your role as <span lang="nb">pasientservicemedarbeider</span> and add '
        '<span lang="nb">pasientregistrering</span>. Take blood samples.'
    )
    assert _explained_in("sv", stay).endswith(". Ta blodprov.")
    assert _explained_in("nb", stay) == (
        "Bli i rollen din som pasientservicemedarbeider og legg til pasientregistrering."
        ' <span lang="en">Take blood samples.</span>'
    )


def test_an_enhancement_without_a_description_says_how_many_roles_it_opens() -> None:
    stay = Explanation(PathwayKind.ENHANCEMENT, role=SkillRef("r:psa", "psa"), opens=1)
    assert _explained_in("sv", stay).endswith(
        "Det öppnar för ytterligare 1 säker och attraktiv roll."
    )
