"""Cleaning paper text the same way for every source, and LaTeX made readable for display.

Feeds wrap titles over lines, escape HTML entities and keep authors' LaTeX. Matching and
classification use the cleaned raw text; what a person reads gets the Unicode form.
"""

from __future__ import annotations

import html
import re

_WS_RE = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """Collapse whitespace and newlines, decode HTML entities; LaTeX is left as written."""
    if not text:
        return ""
    return _WS_RE.sub(" ", html.unescape(text)).strip()


GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ",
    "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω",
}  # fmt: skip
"""LaTeX's Greek-letter commands and their letters: readable titles here, and the spelled-out
words titles are compared by (:func:`hfm_bot.ids.normalise_title`)."""
_SYMBOLS = {
    "times": "×", "cdot": "·", "pm": "±", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "approx": "≈", "sim": "~", "infty": "∞", "rightarrow": "→", "to": "→",
    "leftarrow": "←", "leftrightarrow": "↔", "in": "∈", "sum": "∑", "prod": "∏", "partial": "∂",
    "nabla": "∇", "star": "*", "circ": "°", "degree": "°", "ell": "ℓ", "dagger": "†",
    "ldots": "…", "dots": "…", "cdots": "⋯", "%": "%", "&": "&", "_": "_", "#": "#",
}  # fmt: skip
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b",
}  # fmt: skip
_STYLE_RE = re.compile(
    r"\\(?:textbf|textit|texttt|textrm|textsf|emph|mathrm|mathbf|mathit|mathcal|mathbb|"
    r"mathsf|mathtt|operatorname|text|boldsymbol|bm|underline|textsc)\s*\{([^{}]*)\}"
)
_ACCENT_RE = re.compile(r"\\([`'^\"~=.]|[cvuH](?=\s*\{))\s*\{?\s*([A-Za-z])\s*\}?")
_CMD_RE = re.compile(r"\\([A-Za-z]+|[%&_#$])")
_SUP_RE = re.compile(r"\^\{([^{}]*)\}|\^(\w)")
_SUB_RE = re.compile(r"_\{([^{}]*)\}|_(\w)")
_SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def latex_to_unicode(text: str) -> str:
    """A readable one-line form of a title or abstract: ``$\\alpha$-Net`` gives "α-Net".

    Unknown commands lose their backslash rather than vanish, so nothing a reader needs
    disappears; math dollars and grouping braces go.
    """
    import unicodedata

    out = clean(text).replace("\\$", "\x00")  # an escaped dollar is a dollar, not math
    for _ in range(3):  # nested styles: \textbf{\emph{x}}
        out = _STYLE_RE.sub(r"\1", out)
    out = _ACCENT_RE.sub(
        lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]), out
    )
    out = _CMD_RE.sub(
        lambda m: GREEK.get(m.group(1)) or _SYMBOLS.get(m.group(1)) or m.group(1), out
    )

    def sup(m: re.Match[str]) -> str:
        body = m.group(1) if m.group(1) is not None else m.group(2)
        converted = body.translate(_SUPERSCRIPTS)
        return converted if all(c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ" for c in converted) else "^" + body

    def sub(m: re.Match[str]) -> str:
        body = m.group(1) if m.group(1) is not None else m.group(2)
        converted = body.translate(_SUBSCRIPTS)
        return converted if all(c in "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎" for c in converted) else "_" + body

    if "$" in out:
        out = re.sub(r"\$([^$]*)\$", lambda m: _SUB_RE.sub(sub, _SUP_RE.sub(sup, m.group(1))), out)
    out = out.replace("{", "").replace("}", "").replace("$", "").replace("\x00", "$")
    return _WS_RE.sub(" ", out).strip()
