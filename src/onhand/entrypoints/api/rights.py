"""The table of roles and what each may do, as docs/api.md shows it, made from the code
(`domain/access/roles.py`); a test fails when the docs differ.

    python -m onhand.entrypoints.api.rights            # print the table
    python -m onhand.entrypoints.api.rights docs/api.md   # rewrite it in place there
"""

from __future__ import annotations

import sys
from pathlib import Path

from onhand.domain.access.roles import GRANTS, PERMISSIONS, Permission, Role

BEGIN = "<!-- roles: made by `python -m onhand.entrypoints.api.rights docs/api.md` from domain/access/roles.py -->"
END = "<!-- end of roles -->"


def roles_table() -> str:
    roles = list(Role)
    lines = [
        "| permission | what it covers | " + " | ".join(f"`{role.value}`" for role in roles) + " |",
        "|---|---|" + ":-:|" * len(roles),
    ]
    for permission in Permission:
        marks = " | ".join("✓" if permission in GRANTS[role] else "" for role in roles)
        lines.append(f"| `{permission.value}` | {PERMISSIONS[permission]} | {marks} |")
    return "\n".join(lines)


def documented(text: str) -> str:
    """The table between the markers in `text` (a document)."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip()


def rewrite(text: str) -> str:
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return f"{text[:start]}\n{roles_table()}\n{text[end:]}"


def main(argv: list[str]) -> None:
    if not argv:
        print(roles_table())
        return
    path = Path(argv[0])
    path.write_text(rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
