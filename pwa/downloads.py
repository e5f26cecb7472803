"""A download's Content-Disposition (RFC 6266): an ASCII name every client reads, and the real
name in UTF-8 beside it, so a card named Łukasz or 王芳 downloads as that name (and never fails:
a header outside Latin-1 cannot be sent)."""

import unicodedata
from urllib.parse import quote


def attachment(name, extension, fallback="contact"):
    """`attachment; filename="..."` with `filename*=UTF-8''...` when the name is not plain ASCII."""
    readable = "".join(c for c in name or "" if c.isalnum() or c in " -_").strip() or fallback
    plain = unicodedata.normalize("NFKD", readable).encode("ascii", "ignore").decode().strip()
    value = f'attachment; filename="{plain or fallback}.{extension}"'
    if plain != readable:
        value += f"; filename*=UTF-8''{quote(f'{readable}.{extension}', safe='')}"
    return value
