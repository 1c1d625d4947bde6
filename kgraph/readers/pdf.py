"""PDF with a text layer (pdfminer.six). Scanned PDFs without one need OCR first."""
from __future__ import annotations

from pathlib import Path

from . import Content


class PdfError(ValueError):
    pass


def read(path: Path, data: bytes) -> Content:
    import io

    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise PdfError("not a PDF file (no %PDF header)")
    try:
        text = extract_text(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise PdfError("the PDF is encrypted; save an unprotected copy") from None
    except (PDFSyntaxError, PSException) as err:
        raise PdfError(f"not a readable PDF ({type(err).__name__}: {err})") from None
    text = text.replace("\x0c", "\n").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip("\n")
    if not any(ch.isalnum() for ch in text):
        raise PdfError("no text layer; OCR it first")
    return Content(text)
