"""Each employee's permanent parametric QR code (one per employee: WeChat allows 100,000 in all)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from core.official_account import OfficialAccount
from core.organizations import Directory
from core.storage import KV, Conflict, Storage
from core.threads import employee_scene



@dataclass(frozen=True)
class EmployeeQr:
    scene: str
    url: str
    image_url: str
    account_name: str  # the Official Account the code follows


class QrCodes:
    """One code per employee, of their sub-organization's Official Account."""

    def __init__(self, storage: Storage, wechat: Mapping[str, OfficialAccount], directory: Directory,
                 account_names: Mapping[str, str]) -> None:
        self.storage = storage
        self.wechat = wechat
        self.directory = directory
        self.account_names = account_names

    async def for_employee(self, aad_object_id: str) -> EmployeeQr:
        scene = employee_scene(aad_object_id)
        account = self.directory.account_of(aad_object_id)
        key = f"qr:{account}:{scene}"
        item = await self.storage.get(KV, key, key)
        if item is None:
            qr = await self.wechat[account].create_qr(scene, permanent=True)
            body = {"scene": scene, "url": qr.url, "image_url": qr.image_url, "ticket": qr.ticket}
            try:
                item = await self.storage.create(KV, key, key, body)
            except Conflict:  # created at the same moment elsewhere; a permanent code is the same code
                item = await self.storage.get(KV, key, key)
        assert item is not None
        return EmployeeQr(item.body["scene"], item.body["url"], item.body["image_url"], self.account_names[account])
