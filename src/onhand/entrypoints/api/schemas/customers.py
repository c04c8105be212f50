"""Customers, their addresses and their ids in sales channels, as the API takes and gives them."""

from __future__ import annotations

from pydantic import Field

from onhand.domain.orders.commands import CreateCustomer, UpdateCustomer
from onhand.domain.orders.customers import Customer, CustomerAddress
from onhand.entrypoints.api.schemas.common import RequestModel, ResponseModel


class AddressModel(RequestModel):
    label: str = Field("default", max_length=40, examples=["shipping"])
    name: str | None = Field(None, max_length=200)
    line1: str | None = Field(None, max_length=200)
    line2: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    region: str | None = Field(None, max_length=100)
    postcode: str | None = Field(None, max_length=20)
    country: str | None = Field(None, max_length=2, examples=["US"])

    def to_address(self) -> CustomerAddress:
        return CustomerAddress(**self.model_dump())


class ChannelIdModel(RequestModel):
    channel: str = Field(max_length=32, examples=["shopify"])
    external_id: str = Field(max_length=100, examples=["7781"])


class CustomerIn(RequestModel):
    name: str = Field(max_length=200, examples=["Alice Smith"])
    code: str | None = Field(None, max_length=64, description="Default: the next C-000001")
    email: str | None = Field(None, max_length=200, examples=["alice@example.com"])
    phone: str | None = Field(None, max_length=50)
    addresses: list[AddressModel] = Field(default_factory=list, max_length=20)
    channel_ids: list[ChannelIdModel] = Field(default_factory=list, max_length=20)

    def to_command(self) -> CreateCustomer:
        return CreateCustomer(
            name=self.name, code=self.code, email=self.email, phone=self.phone,
            addresses=tuple(a.to_address() for a in self.addresses),
            channel_ids=tuple((i.channel, i.external_id) for i in self.channel_ids),
        )


class CustomerPatch(RequestModel):
    """Absent or null fields stay; `"email": ""` clears it; `addresses` replace all; `channel_ids` are added."""

    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=50)
    addresses: list[AddressModel] | None = Field(None, max_length=20)
    channel_ids: list[ChannelIdModel] = Field(default_factory=list, max_length=20)

    def to_command(self, code: str) -> UpdateCustomer:
        return UpdateCustomer(
            code=code, name=self.name, email=self.email, phone=self.phone,
            addresses=None if self.addresses is None else tuple(a.to_address() for a in self.addresses),
            channel_ids=tuple((i.channel, i.external_id) for i in self.channel_ids),
        )


class AddressOut(ResponseModel):
    label: str
    name: str | None
    line1: str | None
    line2: str | None
    city: str | None
    region: str | None
    postcode: str | None
    country: str | None


class ChannelIdOut(ResponseModel):
    channel: str
    external_id: str


class CustomerOut(ResponseModel):
    code: str
    name: str
    email: str | None
    phone: str | None
    addresses: list[AddressOut]
    channel_ids: list[ChannelIdOut]

    @classmethod
    def of(cls, c: Customer) -> CustomerOut:
        return cls(code=c.code, name=c.name, email=c.email, phone=c.phone,
                   addresses=[AddressOut(**a.__dict__) for a in c.addresses],
                   channel_ids=[ChannelIdOut(**i.__dict__) for i in c.channel_ids])


class CustomerList(ResponseModel):
    customers: list[CustomerOut]
