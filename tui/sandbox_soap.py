"""The sandbox's SOAP endpoint: `GetUser(email)` in a SOAP 1.1 or 1.2 envelope."""

from __future__ import annotations

from typing import Any
from xml.parsers.expat import ExpatError
from xml.sax.saxutils import escape, quoteattr

import xmltodict

from tui.sandbox_http import Request, Response
from tui.sandbox_state import Json

_SOAP_NAMESPACES = {
    "1.1": "http://schemas.xmlsoap.org/soap/envelope/",
    "1.2": "http://www.w3.org/2003/05/soap-envelope",
}
_SOAP_CONTENT_TYPES = {"1.1": "text/xml; charset=utf-8", "1.2": "application/soap+xml; charset=utf-8"}
_SUBSCRIBERS_NS = "urn:hookbench:subscribers"


def soap_subscribers(request: Request) -> Response:
    """`GetUser(email)` in a SOAP 1.1 or 1.2 envelope; a soap:Fault (500) on any problem."""
    versions = {namespace: version for version, namespace in _SOAP_NAMESPACES.items()}
    try:  # names come back as "1.1:Envelope", whatever prefix the client chose
        document = xmltodict.parse(
            request.body, process_namespaces=True, namespaces={**versions, _SUBSCRIBERS_NS: None}
        )
    except (ExpatError, ValueError) as exc:
        version = "1.2" if request.content_type == "application/soap+xml" else "1.1"
        return _soap_fault(version, f"malformed XML: {exc}")
    version = "1.2" if "1.2:Envelope" in document else "1.1"
    email = _dig(document, f"{version}:Envelope", f"{version}:Body", "GetUser", "email")
    if not isinstance(email, str):
        return _soap_fault(version, "expected soap:Envelope/soap:Body/GetUser/email")
    found = request.state.find(email)
    if not found:
        return _soap_fault(version, f"no subscriber with email {email}")
    return _soap_envelope(
        version, 200, f'<GetUserResponse xmlns="{_SUBSCRIBERS_NS}">{_user_xml(found[0])}</GetUserResponse>'
    )


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _user_xml(subscriber: Json) -> str:
    name = f"{subscriber['first_name']} {subscriber['last_name']}".strip()
    tags = "".join(f"<tag>{escape(tag)}</tag>" for tag in subscriber["tags"])
    return (
        f"<user id={quoteattr(subscriber['id'])}><name>{escape(name)}</name>"
        f"<email>{escape(subscriber['email'])}</email><tags>{tags}</tags></user>"
    )


def _soap_fault(version: str, message: str) -> Response:
    if version == "1.1":
        fault = f"<faultcode>soap:Client</faultcode><faultstring>{escape(message)}</faultstring>"
    else:
        fault = (
            "<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason>"
            f'<soap:Text xml:lang="en">{escape(message)}</soap:Text></soap:Reason>'
        )
    return _soap_envelope(version, 500, f"<soap:Fault>{fault}</soap:Fault>")


def _soap_envelope(version: str, status: int, body: str) -> Response:
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap='
        f'"{_SOAP_NAMESPACES[version]}"><soap:Body>{body}</soap:Body></soap:Envelope>'
    )
    return Response(status, xml.encode(), _SOAP_CONTENT_TYPES[version])
