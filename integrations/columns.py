"""What the columns of other CRMs' exports mean: which field each header holds.

Headers are compared folded ("Company Domain Name", "company_domain_name" and
"COMPANY DOMAIN NAME" are one header). The names come from the standard exports of
HubSpot (companies, contacts, deals, activities: "Record ID", "Company name", "Associated
Company IDs", "Deal Stage"...) and of Salesforce, both the Data Loader / Data Export files
(API names: "Id", "AccountId", "FirstName", "StageName"...) and report exports (labels:
"Account Name", "Opportunity Owner"...), of Zoho CRM ("Account Name", "Billing
Country", "Employees"...), of Pipedrive (each header named after its record: "Organization
- Name", "Person - Email - Work", "Deal - Value"), plus Relevo's own export.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.errors import HubError
from hub.text import fold

KINDS = ("accounts", "contacts", "deals", "interactions", "agreements", "complaints")

_ACCOUNT_LINK = {
    "account": (
        "account",
        "account name",
        "company",
        "company name",
        "associated company",
        "organization",  # Pipedrive: "Person - Organization", "Deal - Organization"
        "organization name",
    ),
    "account_domain": ("account domain", "company domain name", "account website"),
    "account_ref": (
        "account ref",
        "accountid",
        "account id",
        "whatid",
        "associated company ids",
        "associated company ids primary",
        "associated company id",
        "company id",
    ),
}

HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "name": ("name", "company name", "account name", "company"),
        "domain": ("domain", "company domain name", "website", "website url", "account website"),
        "tier": ("tier",),
        "status": ("status",),
        "visibility": ("visibility",),
        "department": ("department", "team"),
        "channel": ("channel", "slack channel", "discord channel"),
        "owner": ("owner", "company owner", "account owner", "owner email"),
        "ref": ("ref", "id", "record id", "account id"),
        "industry": ("industry",),
        "country": (
            "country",
            "country/region",
            "billingcountry",
            "billing country",
            "billingcountrycode",
            "billing country code",
            "country of address",  # Pipedrive's address parts: "Organization - Country of Address"
            "address - country",
        ),
        "region": (
            "region",
            "state/region",
            "billingstate",
            "billing state",
            "billing state/province",
            "state",
            "state/county of address",
            "address - state/county",
        ),
        "city": ("city", "billingcity", "billing city", "city/town/village/locality of address"),
        "size": (
            "size",
            "size band",
            "employees",
            "number of employees",
            "numberofemployees",
            "company size",
        ),
        "revenue": ("revenue", "annual revenue", "annualrevenue"),
        "revenue_currency": ("revenue currency", "currency", "currencyisocode", "currency code"),
        "lead_source": (
            "lead source",
            "source",
            "original source",
            "original source type",
            "accountsource",
            "account source",
            "leadsource",
        ),
        "lead_campaign": ("lead campaign", "campaign", "campaign source", "campaign name"),
    },
    "contacts": {
        "name": ("name", "full name", "contact name"),
        "first_name": ("first name", "firstname"),
        "last_name": ("last name", "lastname"),
        "email": ("email", "email address", "email - work", "email - home", "email - other"),
        "phone": (
            "phone",
            "phone number",
            "mobile phone number",
            "mobilephone",
            "mobile",
            "phone - work",
            "phone - mobile",
            "phone - home",
            "phone - other",
        ),
        "title": ("title", "job title"),
        "role": ("role", "contact role"),
        "ref": ("ref", "id", "record id", "contact id"),
        **_ACCOUNT_LINK,
    },
    "deals": {
        "title": ("title", "deal name", "opportunity name", "name"),
        "amount": ("amount", "value"),
        "currency": ("currency", "currencyisocode", "opportunity currency", "deal currency code"),
        "stage": ("stage", "deal stage", "stagename"),
        "close_on": ("close on", "close date", "closedate", "expected close date"),
        "ref": ("ref", "id", "record id", "opportunity id"),
        "source": (
            "source",
            "deal source",
            "lead source",
            "leadsource",
            "source channel",
            "original source",
        ),
        "campaign": ("campaign", "campaign source", "primary campaign source", "campaign name"),
        **_ACCOUNT_LINK,
    },
    "interactions": {
        "kind": (
            "kind",
            "type",
            "task type",
            "activity type",
            "tasksubtype",
            "call and meeting type",
        ),
        "subject": ("subject",),
        "text": ("text", "description", "comments", "body", "note body", "full comments"),
        "occurred_at": (
            "occurred at",
            "date",
            "activity date",
            "activitydate",
            "created date",
            "createddate",
        ),
        "contact_email": ("contact email", "email"),
        "author": ("author", "assigned", "activity assigned to", "assigned to", "owner"),
        "ref": ("ref", "id", "record id", "activity id"),
        **_ACCOUNT_LINK,
    },
    "agreements": {
        "text": ("text", "agreement", "description"),
        "due_on": ("due on", "due", "due date"),
        "created_at": ("created at", "date", "created date", "createddate"),
        "author": ("author", "owner", "created by"),
        "ref": ("ref", "id", "record id"),
        **_ACCOUNT_LINK,
    },
    # Salesforce cases ("Subject", "Priority", "Status", "ClosedDate") are complaints.
    "complaints": {
        "subject": ("subject",),
        "text": ("text", "description", "complaint"),
        "severity": ("severity", "priority"),
        "status": ("status",),
        "opened_at": ("opened at", "created date", "createddate", "date opened"),
        "resolved_at": ("resolved at", "closed date", "closeddate", "date closed"),
        "resolution": ("resolution", "resolution notes"),
        "author": ("author", "owner", "case owner"),
        "ref": ("ref", "id", "record id", "case id", "case number"),
        **_ACCOUNT_LINK,
    },
}


# Spanish headers: what Spanish spreadsheets and the Spanish editions of HubSpot and
# Salesforce write ("Nombre", "Correo electrónico", "Importe", "Fecha de cierre"...).
# Compared folded like the rest, so accents and case are optional.
_ACCOUNT_LINK_ES = {
    "account": (
        "cuenta",
        "empresa",
        "compañía",
        "cliente",
        "nombre de la cuenta",
        "nombre de la empresa",
        "nombre de empresa",
        "empresa asociada",
    ),
    "account_domain": ("dominio de la empresa", "dominio de la cuenta", "web de la empresa"),
    "account_ref": (
        "id de la cuenta",
        "id de cuenta",
        "id de la empresa",
        "id de empresa",
        "id de empresa asociada",
    ),
}

HEADERS_ES: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "name": (
            "nombre",
            "empresa",
            "cuenta",
            "compañía",
            "razón social",
            "nombre de la empresa",
            "nombre de la cuenta",
        ),
        "domain": ("dominio", "sitio web", "web", "página web", "dominio de la empresa"),
        "tier": ("nivel", "categoría"),
        "status": ("estado",),
        "visibility": ("visibilidad",),
        "department": ("departamento", "equipo"),
        "channel": ("canal",),
        "owner": (
            "propietario",
            "responsable",
            "propietario de la empresa",
            "propietario de la cuenta",
        ),
        "ref": ("referencia", "id de registro", "id de la cuenta", "id de la empresa"),
        "industry": ("sector", "industria"),
        "country": ("país", "país/región", "país de facturación"),
        "region": ("región", "provincia", "comunidad autónoma", "estado/región"),
        "city": ("ciudad", "localidad", "municipio"),
        "size": ("tamaño", "empleados", "número de empleados"),
        "revenue": ("facturación", "ingresos", "ingresos anuales", "facturación anual"),
        "revenue_currency": ("moneda", "divisa", "moneda de facturación"),
        "lead_source": ("origen", "fuente", "fuente original", "origen del cliente potencial"),
        "lead_campaign": ("campaña", "campaña de origen"),
    },
    "contacts": {
        "name": ("nombre", "nombre completo", "nombre del contacto", "contacto"),
        "first_name": ("nombre de pila",),
        "last_name": ("apellidos", "apellido"),
        "email": ("correo electrónico", "correo", "e-mail", "dirección de correo electrónico"),
        "phone": ("teléfono", "móvil", "teléfono móvil", "número de teléfono"),
        "title": ("cargo", "puesto"),
        "role": ("rol", "función"),
        "ref": ("referencia", "id de registro", "id del contacto"),
        **_ACCOUNT_LINK_ES,
    },
    "deals": {
        "title": (
            "título",
            "nombre",
            "negocio",
            "oportunidad",
            "nombre del negocio",
            "nombre de la oportunidad",
        ),
        "amount": ("importe", "cantidad", "valor", "monto"),
        "currency": ("moneda", "divisa"),
        "stage": ("etapa", "fase", "etapa del negocio"),
        "close_on": ("fecha de cierre", "cierre", "fecha cierre"),
        "ref": ("referencia", "id de registro", "id de la oportunidad", "id del negocio"),
        "source": ("origen", "fuente", "origen del negocio", "fuente original"),
        "campaign": ("campaña", "campaña de origen"),
        **_ACCOUNT_LINK_ES,
    },
    "interactions": {
        "kind": ("tipo", "tipo de actividad", "tipo de tarea"),
        "subject": ("asunto",),
        "text": ("texto", "descripción", "comentarios", "nota", "notas"),
        "occurred_at": ("fecha", "fecha de la actividad", "fecha de creación"),
        "contact_email": ("correo del contacto", "correo electrónico del contacto"),
        "author": ("autor", "asignado a", "propietario", "responsable"),
        "ref": ("referencia", "id de registro", "id de la actividad"),
        **_ACCOUNT_LINK_ES,
    },
    "agreements": {
        "text": ("texto", "acuerdo", "descripción", "compromiso"),
        "due_on": ("vencimiento", "fecha de vencimiento", "fecha límite", "plazo"),
        "created_at": ("fecha", "fecha de creación", "creado"),
        "author": ("autor", "propietario", "creado por"),
        "ref": ("referencia", "id de registro"),
        **_ACCOUNT_LINK_ES,
    },
    "complaints": {
        "subject": ("asunto",),
        "text": ("texto", "descripción", "queja", "reclamación", "incidencia"),
        "severity": ("gravedad", "severidad", "prioridad"),
        "status": ("estado",),
        "opened_at": ("fecha de apertura", "fecha de creación", "abierta"),
        "resolved_at": ("fecha de resolución", "fecha de cierre", "resuelta"),
        "resolution": ("resolución", "notas de resolución"),
        "author": ("autor", "propietario", "propietario del caso"),
        "ref": ("referencia", "id de registro", "id del caso", "número de caso"),
        **_ACCOUNT_LINK_ES,
    },
}


class FileRefused(HubError):
    """A file (or a request for one) that cannot be imported or exported at all: an
    unknown kind of record, a header line that is not CSV, no column that means anything.
    The message says why; the command line prints it."""


def system_of(headers: list[str]) -> str:
    """Which CRM wrote the file, from its headers: external ids are kept per system."""
    folded = {fold(h) for h in headers}
    if any(_pipedrive(h) for h in headers):
        return "pipedrive"
    if "record id" in folded and "account name" in folded:
        return "zoho"  # HubSpot says "Company name"; Zoho's modules all say "Account Name"
    if "record id" in folded:
        return "hubspot"
    salesforce = {"accountid", "stagename", "firstname", "ownerid", "whatid", "account id"}
    if folded & salesforce or "opportunity name" in folded:
        return "salesforce"
    return "relevo"


# Pipedrive names each header after its record ("Organization - Name", "Person - Email -
# Work", "Deal - Value"): a file of that kind reads them without it.
PREFIXES = {
    "accounts": ("organization", "organisation"),
    "contacts": ("person",),
    "deals": ("deal",),
    "interactions": ("activity",),
}


def _pipedrive(header: str) -> bool:
    """Whether `header` is named after its record the way Pipedrive writes it."""
    first, dash, _rest = header.partition(" - ")
    named = {p for prefixes in PREFIXES.values() for p in prefixes}
    return bool(dash) and fold(first) in named


def _unprefixed(kind: str, header: str) -> str:
    """`header` folded, without the name of the record of `kind` Pipedrive starts it with
    ("Organization - Annual revenue" → "annual revenue")."""
    first, dash, rest = header.partition(" - ")
    if dash and fold(first) in PREFIXES.get(kind, ()):
        return fold(rest)
    return fold(header)


def _known(kind: str) -> dict[str, str]:
    """folded header -> field, English (and the CRMs') first, then Spanish."""
    known = {fold(a): field for field, aliases in HEADERS[kind].items() for a in aliases}
    for field, aliases in HEADERS_ES[kind].items():
        for alias in aliases:
            known.setdefault(fold(alias), field)
    return known


def spanish_headers(kind: str, headers: list[str]) -> bool:
    """Whether some header is one only a Spanish file writes ("Importe", "Nombre")."""
    english = {fold(a) for aliases in HEADERS[kind].values() for a in aliases}
    spanish = {fold(a) for aliases in HEADERS_ES[kind].values() for a in aliases}
    return any(fold(h) in spanish - english for h in headers)


def understood(kind: str) -> str:
    """The headers a file of `kind` may have, one per field, for a refusal's message."""
    return ", ".join(
        f"{field} ({HEADERS_ES[kind][field][0]})" if field in HEADERS_ES[kind] else field
        for field in HEADERS[kind]
    )


def column_map(kind: str, headers: list[str], overrides: Mapping[str, str]) -> dict[str, str]:
    """header -> field for the headers this kind understands (`--map` wins)."""
    known = _known(kind)
    folded = {fold(h) for h in headers}
    if kind == "contacts" and folded & {"apellidos", "apellido"} and "nombre" in folded:
        known["nombre"] = "first_name"  # "Nombre" and "Apellidos": a first name
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    folded_overrides = {fold(k): v for k, v in overrides.items()}
    for header in headers:
        key = fold(header)
        if key in folded_overrides:
            field = folded_overrides[key]
            if field and field not in HEADERS[kind]:
                raise FileRefused(
                    f"--map {header}={field}: {kind} have the fields " + ", ".join(HEADERS[kind])
                )
        else:
            field = known.get(key) or known.get(_unprefixed(kind, header), "")
        if field and field not in taken:
            mapping[header] = field
            taken.add(field)
    return mapping


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def mapped_fields(row: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, str | None]:
    """The row's values by field; the text of an interaction keeps its line breaks."""
    fields: dict[str, str | None] = {}
    for header, field in mapping.items():
        value = row.get(header)
        if field in ("text", "resolution"):
            fields[field] = str(value).strip() or None if value is not None else None
        else:
            fields[field] = _clean(value)
    return fields


__all__ = [
    "HEADERS_ES",
    "KINDS",
    "FileRefused",
    "column_map",
    "mapped_fields",
    "spanish_headers",
    "system_of",
    "understood",
]
