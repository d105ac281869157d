"""Every demo account can open every page its menu offers, in every language.

A menu link whose page then refuses the role (or a role with nothing in its menu) is the kind
of dead end a policy change leaves behind: the education coordinator once had no pages, union
representatives could open course outcomes without finding them. Runs on the demo data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from careshift import Careshift
from careshift.domain.access import Role
from careshift.entrypoints.api.app import create_app
from careshift.services.demo import prepare_demo
from careshift.services.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.support.accounts import sign_in

_MENU = re.compile(r'<nav class="site-nav"[^>]*>(.*?)</nav>', re.S)
_LINK = re.compile(r'href="(/[^"#?]*)"')


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Careshift]:
    from careshift import bootstrap, load_settings

    careshift = bootstrap(load_settings(data_dir=tmp_path_factory.mktemp("menus") / "var"))
    for _ in prepare_demo(careshift):
        pass
    yield careshift
    careshift.close()


@pytest.mark.parametrize(("email", "role"), [(e, r) for e, _, r, _ in DEMO_ACCOUNTS])
def test_every_menu_link_opens_for_its_role_in_every_language(
    demo: Careshift, email: str, role: Role
) -> None:
    client = TestClient(create_app(demo), raise_server_exceptions=False)
    sign_in(client, email, DEMO_PASSWORD)
    home = client.get("/")
    menu = _MENU.search(home.text)
    assert menu, f"{email} sees no menu"
    links = sorted(set(_LINK.findall(menu.group(1))) - {"/", "/taxonomy"})
    # every role has pages of its own beside the public taxonomy search
    assert links, f"{email} ({role.value}) has nothing in the menu but search"
    failed = []
    for lang in ("en", "nb", "sv"):
        client.cookies.set("careshift_lang", lang)
        for link in links:
            answer = client.get(link, headers={"accept-language": lang})
            if answer.status_code != 200:
                failed.append(f"{lang} {link}: {answer.status_code}")
    assert failed == [], f"{email}:\n  " + "\n  ".join(failed)
