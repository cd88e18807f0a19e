"""PDF documents rendered from plain data: certificates, class PDFs and sign-in sheets."""

from .certificate import iter_certificates_pdf, render_certificate, write_certificates
from .data import CertificateData, SignInRow, SignInSession, SignInSheetData
from .sign_in_sheet import write_sign_in_sheet
