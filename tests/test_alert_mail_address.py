"""An alert's --mail is one plain address: a CR/LF in it (a way to add mail headers) or a
list is refused at once with a message, instead of being saved and failing when sent."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "address",
    ["a@b.fr\r\nBcc: x@y.fr", "a@b.fr\nBcc: x@y.fr", "a@b.fr, c@d.fr", "Marie <a@b.fr>", "ab.fr"],
)
def test_a_mail_address_with_headers_or_a_list_is_refused(cli, address: str) -> None:  # type: ignore[no-untyped-def]
    assert cli("watch", "add", "w", "emploi").code == 0
    result = cli("alert", "add", "a", "--watch", "w", "--spike", "3", "--mail", address)
    assert result.code == 2
    assert "is not an e-mail address" in result.err
    assert "Traceback" not in result.err
    assert "a" not in [
        line.split()[0] for line in cli("alert", "list").out.splitlines()[1:] if line
    ]


def test_a_plain_address_is_kept(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("watch", "add", "w", "emploi").code == 0
    result = cli("alert", "add", "a", "--watch", "w", "--spike", "3", "--mail", "marie@exemple.fr")
    assert result.code == 0, result.err
    assert "marie@exemple.fr" in cli("alert", "list").out
