"""Small pieces of rich text shared by the details panes (History, the main window)."""

from __future__ import annotations

from html import escape


def details_table(rows: list[tuple[str, object]]) -> str:
    """Label / value rows as an HTML table, the label in bold."""
    html = ["<table cellspacing='2'>"]
    for k, v in rows:
        html.append(f"<tr><td valign='top'><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(str(v))}</td></tr>")
    html.append("</table>")
    return "".join(html)
