"""Accounting settings, the daily summary journals, their exports and the reconciliation."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from onhand import services
from onhand.domain.accounting.commands import ImportChart, PostJournal
from onhand.entrypoints.api.auth import Bookkeeper, IdempotencyKey, OnhandDep, Reader, SettingsAdmin
from onhand.entrypoints.api.bodies import CSV_REQUEST_BODY, CsvText
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES
from onhand.entrypoints.api.schemas.journals import (
    AccountingSettingsIn,
    AccountingSettingsOut,
    ChartCheckOut,
    JournalList,
    JournalOut,
    JournalPushList,
    JournalPushOut,
    ReconciliationOut,
)
from onhand.services.accounting.journals import parse_day

router = ApiRouter(tags=["accounting"], responses=ERROR_RESPONSES)

Day = Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")]


@router.get("/accounting/settings", summary="Account codes, categories, tracking by location, lock date")
def get_settings(onhand: OnhandDep, _key: Reader) -> AccountingSettingsOut:
    return AccountingSettingsOut.of(services.accounting_settings.get_accounting_settings(onhand))


@router.put("/accounting/settings", summary="Change the accounting settings (admin)")
def put_settings(
    body: AccountingSettingsIn, onhand: OnhandDep, _key: SettingsAdmin, idempotency_key: IdempotencyKey = None
) -> AccountingSettingsOut:
    settings = services.accounting_settings.update_accounting_settings(
        onhand, body.to_command(), idempotency_key=idempotency_key,
    )
    return AccountingSettingsOut.of(settings)


@router.get("/accounting/chart", summary="The loaded chart of accounts and every mapped code it cannot take")
def get_chart(onhand: OnhandDep, _key: Reader) -> ChartCheckOut:
    return ChartCheckOut.of(services.account_charts.check_chart(onhand))


@router.put("/accounting/chart", openapi_extra=CSV_REQUEST_BODY,
            summary="Load the chart of accounts from Xero's export or QuickBooks' account list (admin)")
def put_chart(
    _key: SettingsAdmin, csv_text: CsvText, onhand: OnhandDep,
    target: Annotated[str | None, Query(max_length=20, description="xero or quickbooks (default: "
                                                                   "the company's accounting system)")] = None,
    idempotency_key: IdempotencyKey = None,
) -> ChartCheckOut:
    command = ImportChart(text=csv_text, target=target)
    return ChartCheckOut.of(services.account_charts.import_chart(onhand, command, idempotency_key=idempotency_key))


@router.post("/accounting/chart/fetch", summary="Load the chart of accounts from a connected Xero or QuickBooks "
             "through its API (admin)")
def fetch_chart(
    onhand: OnhandDep, _key: SettingsAdmin,
    target: Annotated[str, Query(max_length=20, description="xero or quickbooks (when configured)")] = "xero",
) -> ChartCheckOut:
    return ChartCheckOut.of(services.account_charts.fetch_chart(onhand, target=target))


@router.get("/journals", summary="The daily journals of a range of days (default: the last 7) with lines")
def list_journals(
    onhand: OnhandDep, _key: Reader, from_: Annotated[Day, Query(alias="from")] = None, to: Day = None
) -> JournalList:
    views = services.journals.list_journals(onhand, start=from_, end=to)
    return JournalList(journals=[JournalOut.of(v) for v in views])


# Declared before /journals/{day} so that it is not taken for a date.
@router.get("/journals/reconciliation", summary="Valuation total vs journal inventory balance, per day")
def reconciliation(
    onhand: OnhandDep, _key: Reader, from_: Annotated[Day, Query(alias="from")] = None, to: Day = None
) -> ReconciliationOut:
    return ReconciliationOut.of(services.reconciliation.reconcile(onhand, start=from_, end=to))


@router.get("/journals/pushes", summary="The pushes of journals to accounting systems (default: the last 31 days)")
def list_pushes(
    onhand: OnhandDep, _key: Reader, from_: Annotated[Day, Query(alias="from")] = None, to: Day = None,
    target: Annotated[str | None, Query(max_length=20, description="xero or quickbooks")] = None,
) -> JournalPushList:
    pushes = services.journal_pushes.journal_pushes(onhand, start=from_, end=to, target=target)
    return JournalPushList(pushes=[JournalPushOut.of(p) for p in pushes])


@router.get("/journals/{day}", summary="The journal of a business day: as posted, or as its moves make it now")
def get_journal(day: str, onhand: OnhandDep, _key: Reader) -> JournalOut:
    return JournalOut.of(services.journals.get_journal(onhand, day))


@router.post("/journals/{day}/post", summary="Post (freeze) a day that is over; lock=true advances the lock date")
def post_journal(
    day: str, onhand: OnhandDep, _key: Bookkeeper, lock: bool = False, idempotency_key: IdempotencyKey = None
) -> JournalOut:
    command = PostJournal(day=parse_day(day), lock=lock)
    return JournalOut.of(services.journals.post_journal(onhand, command, idempotency_key=idempotency_key))


@router.post("/journals/{day}/push", summary="Send a posted day's journal to a configured accounting system, "
             "once; again=true sends it anew under a new reference (admin)")
def push_journal(
    day: str, onhand: OnhandDep, _key: Bookkeeper,
    target: Annotated[str, Query(max_length=20, description="xero or quickbooks (when configured)")] = "xero",
    again: bool = False,
) -> JournalPushOut:
    push = services.journal_pushes.push_journal_again if again else services.journal_pushes.push_journal
    return JournalPushOut.of(push(onhand, day, target=target))


@router.get("/journals/{day}/export", summary="A day's journal (or from {day} to `to`) as Xero, QBO or CSV",
            response_class=Response,
            responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
def export_journal(
    day: str, onhand: OnhandDep, _key: Reader,
    format: Annotated[str, Query(max_length=20, description="xero-json, xero-csv, qbo-json or csv")] = "csv",
    to: Day = None,
) -> Response:
    export = services.journals.export_journals(onhand, day, to, format=format)
    return Response(
        content=export.content.encode(), media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )
