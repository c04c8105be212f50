"""Accounting settings, daily summary journals and their reconciliation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, StrictBool

from onhand.domain.accounting.accounts import AccountRole
from onhand.domain.accounting.commands import UpdateAccountingSettings, read_lock_date
from onhand.entrypoints.api.schemas.common import DateOrBlankIn, DecimalOut, RequestModel, ResponseModel
from onhand.services.accounting.charts import ChartCheck
from onhand.services.accounting.journal_book import JournalView
from onhand.services.accounting.journal_pushes import JournalPush
from onhand.services.accounting.reconciliation import ReconciliationReport
from onhand.services.accounting.settings import AccountingSettings

# Journal amounts keep the currency's minor unit as text ("80.00"); zero is "0".
Money = Annotated[Decimal, PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="always")]

ROLES = ", ".join(role.value for role in AccountRole)


class AccountingSettingsOut(ResponseModel):
    accounts: dict[str, str] = Field(description=f"Account code per role ({ROLES})")
    categories: dict[str, dict[str, str]] = Field(description="Overrides per item category: role → code")
    track_locations: bool = Field(description="Journal lines per location (tracking category 'Location')")
    lock_date: date | None = Field(description="Nothing may be dated on or before it")
    currency: str
    target: str = Field(description="xero or quickbooks: whose standard chart gives the default codes")
    region: str | None = Field(description="UK, AU, NZ, US, CA or INT (null: INT)")
    tax_rate: str = Field(description="The tax rate the xero-csv export names on every line")
    date_format: str = Field(description="The xero-csv export's dates: dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd")

    @classmethod
    def of(cls, settings: AccountingSettings) -> AccountingSettingsOut:
        return cls(**settings.__dict__)


class AccountingSettingsIn(RequestModel):
    """Absent or null fields stay as they are."""

    accounts: dict[str, str] | None = Field(None, description="Codes of the roles named; others stay")
    categories: dict[str, dict[str, str]] | None = Field(
        None, description="Replaces the overrides of the categories named; {} removes a category's")
    track_locations: StrictBool | None = None
    lock_date: DateOrBlankIn | None = Field(None, description='"" removes the lock date')
    currency: str | None = Field(None, description="Only before any move is valued")
    target: str | None = Field(None, max_length=20, description="xero or quickbooks")
    region: str | None = Field(None, max_length=8, description="UK, AU, NZ, US, CA or INT")
    tax_rate: str | None = Field(None, max_length=200, description='The xero-csv tax rate name; "" the region\'s')
    date_format: str | None = Field(None, max_length=20, description='dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd; "" '
                                    "the region's")

    def to_command(self) -> UpdateAccountingSettings:
        lock_date, remove_lock_date = read_lock_date(self.lock_date)
        return UpdateAccountingSettings(
            accounts=self.accounts, categories=self.categories, track_locations=self.track_locations,
            lock_date=lock_date, remove_lock_date=remove_lock_date, currency=self.currency,
            target=self.target, region=self.region, tax_rate=self.tax_rate, date_format=self.date_format,
        )


class ChartProblemOut(ResponseModel):
    setting: str = Field(description="Where the code is set, e.g. accounts.sales_clearing")
    code: str
    reason: str


class ChartCheckOut(ResponseModel):
    target: str | None = Field(description="Whose chart is loaded (null: none; nothing is checked)")
    loaded_at: datetime | None
    accounts: int = Field(description="How many accounts the loaded chart holds")
    ready: bool = Field(description="Every mapped code names an account manual journals may use")
    problems: list[ChartProblemOut]

    @classmethod
    def of(cls, check: ChartCheck) -> ChartCheckOut:
        return cls(target=check.target, loaded_at=check.loaded_at, accounts=check.accounts, ready=check.ready,
                   problems=[ChartProblemOut(setting=p.setting, code=p.code, reason=p.reason)
                             for p in check.problems])


class JournalLineOut(ResponseModel):
    account: str
    role: str
    description: str
    effective_date: date = Field(description="The day it belongs to (earlier for a correction)")
    tracking_option: str | None
    debit: Money
    credit: Money


class JournalOut(ResponseModel):
    date: date
    status: str = Field(description="open (made from the moves now) or posted (frozen)")
    posted_at: datetime | None
    reference: str
    narration: str
    currency: str
    tracking_category: str | None
    debits: Money
    credits: Money
    lines: list[JournalLineOut]

    @classmethod
    def of(cls, view: JournalView) -> JournalOut:
        journal = view.journal
        return cls(
            date=view.day, status=view.status, posted_at=view.posted_at, reference=journal.reference,
            narration=journal.narration, currency=journal.currency, tracking_category=journal.tracking_category,
            debits=journal.debits, credits=journal.credits,
            lines=[JournalLineOut(account=ln.account, role=ln.role.value, description=ln.description,
                                  effective_date=ln.effective_day, tracking_option=ln.tracking_option,
                                  debit=ln.debit, credit=ln.credit) for ln in journal.lines],
        )


class JournalList(ResponseModel):
    journals: list[JournalOut]


class JournalPushOut(ResponseModel):
    id: int
    date: date
    target: str
    status: str = Field(description="pending (outcome unknown: push again to finish it), sent or failed")
    reference: str = Field(description="What the accounting system sees: idempotency key, narration / DocNumber")
    content_hash: str = Field(description="sha256 of the posted journal sent (lines, day, currency, reference)")
    remote_id: str | None = Field(description="The journal's id there (Xero's ManualJournalID, QBO's Id)")
    error: str | None
    started_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, push: JournalPush) -> JournalPushOut:
        return cls(id=push.id, date=push.day, target=push.target, status=push.status, reference=push.reference,
                   content_hash=push.content_hash, remote_id=push.remote_id, error=push.error,
                   started_at=push.started_at, finished_at=push.finished_at)


class JournalPushList(ResponseModel):
    pushes: list[JournalPushOut]


class UnbookedMoveOut(ResponseModel):
    move_id: int
    effective_at: datetime
    sku: str
    role: str
    location: str | None
    inventory_value: DecimalOut


class ReconciliationDayOut(ResponseModel):
    date: date
    valuation_total: DecimalOut = Field(description="Value in − value out up to the end of the day, exact")
    journal_balance: Money = Field(description="Σ inventory lines of the journals up to the day")
    rounding: Money = Field(description="The journals' cent rounding of their inventory lines")
    difference: DecimalOut = Field(description="valuation_total − what the journals booked; not 0 = error")
    reconciled: bool
    moves: list[UnbookedMoveOut] = Field(description="Moves of posted days whose value changed since")


class ReconciliationOut(ResponseModel):
    currency: str
    reconciled: bool
    days: list[ReconciliationDayOut]

    @classmethod
    def of(cls, report: ReconciliationReport) -> ReconciliationOut:
        return cls(
            currency=report.currency, reconciled=report.reconciled,
            days=[ReconciliationDayOut(
                date=d.day, valuation_total=d.valuation_total, journal_balance=d.journal_balance,
                rounding=d.rounding, difference=d.difference, reconciled=d.reconciled,
                moves=[UnbookedMoveOut(**m.__dict__) for m in d.moves]) for d in report.days],
        )
